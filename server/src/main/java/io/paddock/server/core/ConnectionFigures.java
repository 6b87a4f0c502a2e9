package io.paddock.server.core;

/**
 * A client connection's figures for operators (cons, stat and their admin twins), read through
 * {@link Connection#figures()} on the core thread.
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
}
