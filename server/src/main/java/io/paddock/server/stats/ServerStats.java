package io.paddock.server.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide counters for the four-letter words: packets in and out (any thread) and request
 * latency (recorded and read on the core thread); and the {@link Metrics} for Prometheus.
 */
public final class ServerStats {
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private long minLatencyMs = Long.MAX_VALUE;
    private long maxLatencyMs;
    private long totalLatencyMs;
    private long latencyCount;
    private final long startMs = System.currentTimeMillis();
    private final Metrics metrics;

    /** Statistics with metrics of Apache's default summary window. */
    public ServerStats() {
        this(new Metrics());
    }

    public ServerStats(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The metrics exported to Prometheus. */
    public Metrics metrics() {
        return metrics;
    }

    public void packetReceived() {
        packetsReceived.increment();
    }

    public void packetSent() {
        packetsSent.increment();
    }

    public void latency(long ms) {
        minLatencyMs = Math.min(minLatencyMs, ms);
        maxLatencyMs = Math.max(maxLatencyMs, ms);
        totalLatencyMs += ms;
        latencyCount++;
    }

    public long packetsReceived() {
        return packetsReceived.sum();
    }

    public long packetsSent() {
        return packetsSent.sum();
    }

    public long minLatencyMs() {
        return latencyCount == 0 ? 0 : minLatencyMs;
    }

    public long maxLatencyMs() {
        return maxLatencyMs;
    }

    /** Average latency rounded to at most 4 decimals, as Apache prints it. */
    public double avgLatencyMs() {
        if (latencyCount == 0) {
            return 0.0;
        }
        return Math.round(totalLatencyMs * 10000.0 / latencyCount) / 10000.0;
    }

    public long uptimeMs() {
        return System.currentTimeMillis() - startMs;
    }

    public void reset() {
        packetsReceived.reset();
        packetsSent.reset();
        minLatencyMs = Long.MAX_VALUE;
        maxLatencyMs = 0;
        totalLatencyMs = 0;
        latencyCount = 0;
    }
}
