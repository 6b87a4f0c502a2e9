package io.paddock.server.net;

import io.paddock.server.core.Connection;

/**
 * Read-only per-connection figures (and their reset) for operators outside this package, such as
 * the admin HTTP server; the connection classes themselves stay package-private. Call on the core
 * thread, as the four-letter words do.
 *
 * @param remoteAddress  e.g. "/127.0.0.1:53412"
 * @param outstanding    requests received and not yet answered
 * @param received       packets received since the last reset
 * @param sent           packets sent since the last reset
 * @param sessionId      0 before the handshake
 * @param lastOp         the last answered op code, -1000 if none
 * @param establishedMs  wall-clock time the connection was accepted
 * @param timeoutMs      negotiated session timeout
 * @param lastCxid       the last answered xid, -1 if none
 * @param lastZxid       the zxid of the last answer, -1 if none
 * @param lastResponseMs monotonic milliseconds of the last answer
 * @param lastLatencyMs  latency of the last answer
 * @param minLatencyMs   smallest latency
 * @param avgLatencyMs   mean latency
 * @param maxLatencyMs   largest latency
 */
public record ConnectionFigures(String remoteAddress, long outstanding, long received, long sent, long sessionId,
                                int lastOp, long establishedMs, int timeoutMs, long lastCxid, long lastZxid,
                                long lastResponseMs, long lastLatencyMs, long minLatencyMs, long avgLatencyMs,
                                long maxLatencyMs) {

    /** The figures of a client connection, or null for a connection of another kind. */
    public static ConnectionFigures of(Connection conn) {
        if (!(conn instanceof ClientConnection cc)) {
            return null;
        }
        ConnectionStats s = cc.connStats();
        return new ConnectionFigures(cc.remoteAddress(), cc.outstandingRequests(), s.received0(), s.sent0(),
                s.sessionId(), s.lastOp(), s.createdMs(), s.timeoutMs(), s.lastCxid(), s.lastZxid(),
                s.lastResponseMs(), s.lastLatencyMs(), s.minLatencyMs(), s.avgLatencyMs(), s.maxLatencyMs());
    }

    /** Resets a client connection's figures (crst). */
    public static void reset(Connection conn) {
        if (conn instanceof ClientConnection cc) {
            cc.connStats().reset();
        }
    }
}
