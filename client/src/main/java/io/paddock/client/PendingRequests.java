package io.paddock.client;

import io.paddock.protocol.AuthPacket;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Xid;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every request the session has not finished with: those waiting for a connection, and those
 * sent and not yet answered. A server answers ordinary requests in the order it received them,
 * so the answered ones form a FIFO paired by xid; auth answers may overtake them (servers
 * handle auth on arrival), so they have a FIFO of their own. Used on the network thread only.
 */
final class PendingRequests {
    private final long timeoutNanos;
    private final ArrayDeque<Call<?>> waiting = new ArrayDeque<>();
    private final ArrayDeque<Call<?>> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Call<?>> authInFlight = new ArrayDeque<>();
    /** Credentials added while disconnected, with the caller's call: sent by the next handshake. */
    private final ArrayDeque<PendingAuth> waitingAuth = new ArrayDeque<>();
    private int lastXid;

    private record PendingAuth(AuthPacket packet, Call<?> call) {
    }

    PendingRequests(long timeoutMs) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /** Starts the call's clock; every request must be answered within the request timeout. */
    void stamp(Call<?> call) {
        call.deadlineNanos = System.nanoTime() + timeoutNanos;
    }

    void await(Call<?> call) {
        waiting.add(call);
    }

    void awaitAuth(AuthPacket packet, Call<?> call) {
        waitingAuth.add(new PendingAuth(packet, call));
    }

    /** Sends a request with the next xid (positive, wrapping from Integer.MAX_VALUE to 1). */
    void send(Connection connection, Call<?> call) {
        lastXid = lastXid == Integer.MAX_VALUE ? 1 : lastXid + 1;
        inFlight.add(call);
        connection.write(call.frame(lastXid));
    }

    void sendAuth(Connection connection, Call<?> call) {
        authInFlight.add(call);
        connection.write(call.frame(Xid.AUTH));
    }

    /** Replays every credential after a handshake, completing callers who added one meanwhile. */
    void replayAuth(Connection connection, List<AuthPacket> credentials) {
        for (AuthPacket packet : credentials) {
            PendingAuth pending = waitingAuth.peek();
            if (pending != null && pending.packet() == packet) {
                sendAuth(connection, waitingAuth.poll().call());
            } else {
                Call<Void> call = Requests.auth(packet);
                stamp(call);
                sendAuth(connection, call);
            }
        }
    }

    /** Sends every request that waited for this connection, in the order they were issued. */
    void sendWaiting(Connection connection) {
        while (!waiting.isEmpty()) {
            send(connection, waiting.poll());
        }
    }

    /**
     * The request an ordinary reply answers: the oldest one sent. Null when the xid does not
     * match, which means the connection cannot be trusted any more.
     */
    Call<?> answered(int xid) {
        Call<?> call = inFlight.poll();
        if (call != null && call.xid != xid) {
            call.fail(ErrorCode.CONNECTION_LOSS);
            return null;
        }
        return call;
    }

    Call<?> authAnswered() {
        return authInFlight.poll();
    }

    /** Fails requests whose time is up. Answered-for calls keep their place so replies still pair up. */
    void expireOverdue(long now) {
        while (!waiting.isEmpty() && waiting.peek().deadlineNanos - now <= 0) {
            waiting.poll().fail(ErrorCode.REQUEST_TIMEOUT);
        }
        while (!waitingAuth.isEmpty() && waitingAuth.peek().call().deadlineNanos - now <= 0) {
            waitingAuth.poll().call().fail(ErrorCode.REQUEST_TIMEOUT);
        }
        // Deadlines grow along the FIFO, so the scan stops at the first call still in time.
        for (Call<?> call : inFlight) {
            if (call.deadlineNanos - now > 0) {
                break;
            }
            if (!call.isDone()) {
                call.fail(ErrorCode.REQUEST_TIMEOUT);
            }
        }
    }

    /** The connection is gone: whether the server applied what it was sent is unknown. */
    void failSent(ErrorCode code) {
        failAll(inFlight, code);
        failAll(authInFlight, code);
    }

    /** Fails what is still waiting for a connection. */
    void failWaiting(ErrorCode code) {
        failAll(waiting, code);
        PendingAuth pending;
        while ((pending = waitingAuth.poll()) != null) {
            pending.call().fail(code);
        }
    }

    private static void failAll(ArrayDeque<Call<?>> calls, ErrorCode code) {
        Call<?> call;
        while ((call = calls.poll()) != null) {
            call.fail(code);
        }
    }
}
