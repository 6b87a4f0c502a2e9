package io.paddock.server.storage;

import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.RateLimitedLog;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the log's fsyncs: records each one's time and the txns it made durable, and warns when
 * one takes longer than {@code fsync.warningthresholdms} (at most once a minute: a slow disk is
 * slow for every write, and the log must not fill with the same news).
 */
public final class FsyncWatch {
    private static final Logger LOG = LoggerFactory.getLogger(FsyncWatch.class);
    /** Records nothing: for tools and tests that write a log outside a server. */
    public static final FsyncWatch NONE = new FsyncWatch(new Metrics(), Long.MAX_VALUE);

    private final Metrics metrics;
    private final long thresholdMs;
    private final RateLimitedLog slowWarning = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

    public FsyncWatch(Metrics metrics, long thresholdMs) {
        this.metrics = metrics;
        this.thresholdMs = thresholdMs;
    }

    /** One sync of the log took {@code nanos} and made {@code txns} txns durable. */
    void synced(long nanos, int txns, java.nio.file.Path segment) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        metrics.fsyncTime.record(ms);
        metrics.syncProcessorBatchSize.record(txns);
        if (ms > thresholdMs) {
            metrics.slowFsyncs.increment();
            slowWarning.warn("fsync of the transaction log {} took {} ms for {} txn(s), over"
                    + " fsync.warningthresholdms={}; every write waits for it: check the disk (is the log"
                    + " on a busy or shared device?)", segment, ms, txns, thresholdMs);
        }
    }
}
