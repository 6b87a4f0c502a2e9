package io.paddock.server.stats;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning logged at most once per interval: a slow disk or a storm must not flood the log it is
 * reported in. The occurrences held back are counted and named in the next warning that passes.
 * Safe from any thread.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowedNanos;
    private final LongAdder suppressed = new LongAdder();

    public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
        this(log, interval, unit, System::nanoTime);
    }

    RateLimitedLog(Logger log, long interval, TimeUnit unit, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoClock = nanoClock;
        this.nextAllowedNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Logs {@code message} (an SLF4J pattern) as a warning unless one was logged less than an
     * interval ago; returns whether it was logged.
     */
    public boolean warn(String message, Object... args) {
        long now = nanoClock.getAsLong();
        long next = nextAllowedNanos.get();
        if (now - next < 0 || !nextAllowedNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.increment();
            return false;
        }
        long held = suppressed.sumThenReset();
        if (held > 0) {
            log.warn(message + " (and " + held + " more like it since the last such warning)", args);
        } else {
            log.warn(message, args);
        }
        return true;
    }
}
