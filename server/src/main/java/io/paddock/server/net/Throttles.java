package io.paddock.server.net;

import io.paddock.server.config.ServerConfig;
import io.paddock.server.config.ThrottleConfig;
import io.paddock.server.stats.Metrics;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server-wide limits every client connection shares: outstanding requests
 * (globalOutstandingLimit), new sessions (the connection throttle), requests in process (the
 * request throttle) and bytes of large requests. One per client listener.
 */
final class Throttles implements AutoCloseable {
    private final Throttle outstanding;
    private final ConnectionThrottle connections;
    private final RequestThrottler requests;
    private final LargeRequests large;
    private final Metrics metrics;

    Throttles(ServerConfig config, Metrics metrics) {
        ThrottleConfig t = config.throttle();
        this.metrics = metrics;
        this.outstanding = new Throttle(config.globalOutstandingLimit());
        this.connections = new ConnectionThrottle(t.connection(), () -> System.nanoTime() / 1_000_000,
                () -> ThreadLocalRandom.current().nextDouble());
        this.requests = new RequestThrottler(t.request(), metrics).start();
        this.large = new LargeRequests(t.largeRequestMaxBytes(), t.largeRequestThreshold(), metrics);
    }

    Throttle outstanding() {
        return outstanding;
    }

    RequestThrottler requests() {
        return requests;
    }

    LargeRequests large() {
        return large;
    }

    /**
     * Whether a handshake for this session id (0 for a new session) gets past the connection
     * throttle; a refused one is counted in connection_rejected, an admitted one's bucket deficit in
     * connection_token_deficit.
     */
    boolean admitHandshake(long sessionId) {
        boolean admitted = connections.admit(connections.weight(sessionId));
        metrics.connectionDropProbability(connections.dropChance());
        if (admitted) {
            metrics.connectionTokenDeficit.record(connections.deficit());
        } else {
            metrics.connectionRejected.increment();
        }
        return admitted;
    }

    @Override
    public void close() {
        requests.close();
    }
}
