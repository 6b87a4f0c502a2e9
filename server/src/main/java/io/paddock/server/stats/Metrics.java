package io.paddock.server.stats;

import io.paddock.protocol.OpCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's recorded metrics: counters and summaries under Apache ZooKeeper's metric names
 * (so its dashboards and alerts keep working), and Paddock's own under {@code paddock_}.
 * Each instrument is bumped by the thread that sees the event; all are safe from any thread and
 * cost a few uncontended atomic adds (no lock, no queue). Gauges (znode count, sessions...) are
 * not here: they are read from the live state when the metrics are scraped.
 */
public final class Metrics {
    /** Apache's default window for summary quantiles (prometheusMetricsSummaryRotateIntervalSeconds). */
    public static final long DEFAULT_WINDOW_SECONDS = 60;

    // Requests, in milliseconds from receipt to reply, as Apache measures them.
    public final Summary readLatency;
    public final Summary updateLatency;
    /** A locally received write: receipt to applied on this server (Apache's propagation_latency). */
    public final Summary propagationLatency;

    // Storage.
    public final Summary fsyncTime;
    public final Summary snapshotTime;
    public final Summary dbInitTime;
    /** Transactions made durable by one fsync (group commit). */
    public final Summary syncProcessorBatchSize;
    /** Log transactions replayed at startup. */
    public final Summary startupTxnsLoaded;

    // Replication.
    public final Summary electionTime;
    public final Counter lookingCount;
    public final Counter proposalCount;
    public final Counter commitCount;
    public final Counter learnerProposalReceivedCount;
    public final Counter learnerCommitReceivedCount;
    public final Counter diffCount;
    public final Counter snapCount;

    // The admin restore command.
    public final Summary restoreTime;
    public final Counter restoreErrorCount;
    public final Counter restoreRateLimitedCount;

    // Clients.
    public final Counter connectionRequestCount;
    public final Counter connectionRejected;
    public final Counter bytesReceivedCount;
    public final Counter unrecoverableErrorCount;

    // Throttling (net/ConnectionThrottle, RequestThrottler, LargeRequests), under Apache's names.
    /** Tokens the connection bucket lacked after each admitted handshake. */
    public final Summary connectionTokenDeficit;
    public final Counter requestThrottleWaitCount;
    public final Counter staleRequestsDropped;
    public final Counter staleRequests;
    public final Counter largeRequestsRejected;
    /** The connection throttle's current random-drop chance (a gauge, kept here as it changes off the core thread). */
    private volatile double connectionDropProbability;

    // Paddock's own.
    public final Counter sessionsExpired;
    public final Counter slowFsyncs;
    public final Counter slowRequests;

    private static final int OP_OFFSET = 11; // OpCode.CLOSE_SESSION is -11
    private final LongAdder[] requestsByOp = new LongAdder[OP_OFFSET + OpCode.WHO_AM_I + 1];

    private final List<Summary> summaries = new ArrayList<>();
    private final List<Counter> counters = new ArrayList<>();

    /** Metrics with Apache's 60-second summary window. */
    public Metrics() {
        this(DEFAULT_WINDOW_SECONDS);
    }

    /** Metrics whose summary quantiles cover the last one to two {@code windowSeconds}. */
    public Metrics(long windowSeconds) {
        // Recorded by the core thread alone.
        readLatency = coreSummary("readlatency", windowSeconds);
        updateLatency = coreSummary("updatelatency", windowSeconds);
        propagationLatency = coreSummary("propagation_latency", windowSeconds);
        fsyncTime = summary("fsynctime", Summary.BASIC, windowSeconds);
        snapshotTime = summary("snapshottime", Summary.BASIC, windowSeconds);
        dbInitTime = summary("dbinittime", Summary.BASIC, windowSeconds);
        syncProcessorBatchSize = summary("sync_processor_batch_size", Summary.BASIC, windowSeconds);
        electionTime = summary("election_time", Summary.BASIC, windowSeconds);
        startupTxnsLoaded = summary("startup_txns_loaded", Summary.BASIC, windowSeconds);
        lookingCount = counter("looking_count");
        proposalCount = counter("proposal_count");
        commitCount = counter("commit_count");
        learnerProposalReceivedCount = counter("learner_proposal_received_count");
        learnerCommitReceivedCount = counter("learner_commit_received_count");
        diffCount = counter("diff_count");
        snapCount = counter("snap_count");
        restoreTime = summary("restore_time", Summary.BASIC, windowSeconds);
        restoreErrorCount = counter("restore_error_count");
        restoreRateLimitedCount = counter("restore_rate_limited_count");
        connectionRequestCount = counter("connection_request_count");
        connectionRejected = counter("connection_rejected");
        bytesReceivedCount = counter("bytes_received_count");
        unrecoverableErrorCount = counter("unrecoverable_error_count");
        connectionTokenDeficit = summary("connection_token_deficit", Summary.BASIC, windowSeconds);
        requestThrottleWaitCount = counter("request_throttle_wait_count");
        staleRequestsDropped = counter("stale_requests_dropped");
        staleRequests = counter("stale_requests");
        largeRequestsRejected = counter("large_requests_rejected");
        sessionsExpired = counter("paddock_sessions_expired_total");
        slowFsyncs = counter("paddock_slow_fsyncs_total");
        slowRequests = counter("paddock_slow_requests_total");
        for (int i = 0; i < requestsByOp.length; i++) {
            requestsByOp[i] = new LongAdder();
        }
    }

    private Summary summary(String name, double[] quantiles, long windowSeconds) {
        Summary s = new Summary(name, quantiles, windowSeconds);
        summaries.add(s);
        return s;
    }

    private Summary coreSummary(String name, long windowSeconds) {
        Summary s = new Summary(name, Summary.ADVANCED, windowSeconds, true, System::nanoTime);
        summaries.add(s);
        return s;
    }

    private Counter counter(String name) {
        Counter c = new Counter(name);
        counters.add(c);
        return c;
    }

    /**
     * Records one answered request: its latency in the read or update summary, and its count by
     * operation. On the core thread only (the latency summaries have a single writer).
     */
    public void requestAnswered(int op, long latencyMs) {
        (io.paddock.protocol.OpKind.of(op).isUpdate() ? updateLatency : readLatency).record(latencyMs);
        int slot = op + OP_OFFSET;
        if (slot >= 0 && slot < requestsByOp.length) {
            requestsByOp[slot].increment();
        }
    }

    /** Requests answered so far by operation name, for the operations seen at least once. */
    public Map<String, Long> requestsByOp() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < requestsByOp.length; i++) {
            long n = requestsByOp[i].sum();
            if (n > 0) {
                m.merge(OpCode.name(i - OP_OFFSET), n, Long::sum);
            }
        }
        return m;
    }

    /** Writes refused for a hard quota, by top-level namespace: Apache's {@code quota_exceeded_error_per_namespace}. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> quotaExceeded =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Counts a write refused for a hard quota under the namespace (the path's first segment). */
    public void quotaExceeded(String namespace) {
        quotaExceeded.computeIfAbsent(namespace, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** Writes refused for a hard quota so far, by namespace, sorted. */
    public Map<String, Long> quotaExceededByNamespace() {
        Map<String, Long> m = new java.util.TreeMap<>();
        quotaExceeded.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** The connection throttle's random-drop chance, 0 to 1 (Apache's connection_drop_probability). */
    public double connectionDropProbability() {
        return connectionDropProbability;
    }

    public void connectionDropProbability(double p) {
        connectionDropProbability = p;
    }

    /** Every summary, in a stable order. */
    public List<Summary> summaries() {
        return List.copyOf(summaries);
    }

    /** Every counter, in a stable order. */
    public List<Counter> counters() {
        return List.copyOf(counters);
    }
}
