package io.paddock.server.stats;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntervalHistogramProvider;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.HdrHistogram.ValueRecorder;

/**
 * A distribution exported as a Prometheus summary: the count and sum of every value since start,
 * and quantiles over a sliding window (the values of the last one to two windows, as Apache's
 * rotating summaries report them).
 *
 * <p>Recording is wait-free: an HdrHistogram {@link Recorder} (safe from any thread) or, for a
 * summary only one thread records, a single-writer one; plus a few {@link LongAdder}s and
 * accumulators; no lock and no queue. Reading ({@link #read}) is for the scrape thread; it
 * swaps the recorder's interval histogram out and merges it under the summary's own monitor.
 */
public final class Summary {
    /** Apache's BASIC summaries report the median; its ADVANCED ones also p90 and p99. */
    static final double[] BASIC = {0.5};
    static final double[] ADVANCED = {0.5, 0.9, 0.99};

    private final String name;
    private final double[] quantiles;
    private final long windowNanos;
    // Two significant digits: 1% resolution is plenty for a percentile on a dashboard.
    // One recorder, seen as what the hot path writes to and what the scrape reads intervals from.
    private final ValueRecorder writer;
    private final IntervalHistogramProvider<Histogram> intervals;
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final java.util.concurrent.atomic.LongAccumulator min =
            new java.util.concurrent.atomic.LongAccumulator(Math::min, Long.MAX_VALUE);
    private final java.util.concurrent.atomic.LongAccumulator max =
            new java.util.concurrent.atomic.LongAccumulator(Math::max, Long.MIN_VALUE);

    // Scrape side, guarded by this.
    private Histogram interval;
    private Histogram current = new Histogram(2);
    private Histogram previous = new Histogram(2);
    private final java.util.function.LongSupplier nanoClock;
    private long rotatedAtNanos;

    Summary(String name, double[] quantiles, long windowSeconds) {
        this(name, quantiles, windowSeconds, false, System::nanoTime);
    }

    /**
     * @param oneWriter whether a single thread records (the core thread, for request latencies):
     *                  a single-writer recorder then spares the hot path the concurrent one's atomics
     */
    Summary(String name, double[] quantiles, long windowSeconds, boolean oneWriter,
            java.util.function.LongSupplier nanoClock) {
        if (oneWriter) {
            SingleWriterRecorder r = new SingleWriterRecorder(2);
            this.writer = r;
            this.intervals = r;
        } else {
            Recorder r = new Recorder(2);
            this.writer = r;
            this.intervals = r;
        }
        this.nanoClock = nanoClock;
        this.rotatedAtNanos = nanoClock.getAsLong();
        if (windowSeconds <= 0) {
            throw new IllegalArgumentException("summary window must be positive: " + windowSeconds);
        }
        this.name = name;
        this.quantiles = quantiles.clone();
        this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
    }

    /** The metric's name, e.g. {@code readlatency}. */
    public String name() {
        return name;
    }

    /** Records one value; negative values (a clock step) count as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        writer.recordValue(v);
        count.increment();
        sum.add(v);
        min.accumulate(v);
        max.accumulate(v);
    }

    /** The totals and the window's quantiles now. */
    public synchronized Reading read() {
        return new Reading(name, quantiles.clone(), quantilesOf(window(), quantiles), count.sum(), sum.sum());
    }

    /**
     * Apache's mntr figures of this summary since start ({@code avg_}, {@code min_}, {@code max_},
     * {@code cnt_}, {@code sum_}) and, for a summary with percentiles, the window's p50, p95, p99
     * and p999, under their mntr names.
     */
    public synchronized java.util.Map<String, Object> mntrFigures() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        long n = count.sum();
        long total = sum.sum();
        m.put("avg_" + name, n == 0 ? 0.0 : Math.round(total * 10000.0 / n) / 10000.0);
        m.put("min_" + name, n == 0 ? 0 : min.get());
        m.put("max_" + name, n == 0 ? 0 : max.get());
        m.put("cnt_" + name, n);
        m.put("sum_" + name, total);
        if (quantiles.length > 1) {
            double[] p = quantilesOf(window(), MNTR_PERCENTILES);
            String[] names = {"p50_", "p95_", "p99_", "p999_"};
            for (int i = 0; i < names.length; i++) {
                m.put(names[i] + name, Double.isNaN(p[i]) ? 0L : (long) p[i]);
            }
        }
        return m;
    }

    private static final double[] MNTR_PERCENTILES = {0.5, 0.95, 0.99, 0.999};

    /** Folds in what was recorded since the last look and rotates; the window's values. Under this. */
    private Histogram window() {
        interval = intervals.getIntervalHistogram(interval);
        current.add(interval);
        long now = nanoClock.getAsLong();
        if (now - rotatedAtNanos >= windowNanos) {
            Histogram oldest = previous;
            previous = current;
            oldest.reset();
            current = oldest;
            rotatedAtNanos = now;
        }
        if (previous.getTotalCount() == 0) {
            return current;
        }
        Histogram both = previous.copy();
        both.add(current);
        return both;
    }

    private static double[] quantilesOf(Histogram window, double[] qs) {
        double[] values = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            values[i] = window.getTotalCount() == 0 ? Double.NaN : window.getValueAtPercentile(qs[i] * 100);
        }
        return values;
    }

    /**
     * One reading of a summary.
     *
     * @param quantiles the quantiles reported (0.5, 0.9...)
     * @param values    each quantile's value over the window, NaN when nothing was recorded in it
     * @param count     values recorded since start
     * @param sum       their sum
     */
    public record Reading(String name, double[] quantiles, double[] values, long count, long sum) {
    }
}
