package io.paddock.server.stats;

import java.util.concurrent.atomic.LongAdder;

/** A count that only goes up, exported as a Prometheus counter; cheap to bump from any thread. */
public final class Counter {
    private final String name;
    private final LongAdder value = new LongAdder();

    Counter(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void increment() {
        value.increment();
    }

    public void add(long n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " cannot go down: " + n);
        }
        value.add(n);
    }

    public long get() {
        return value.sum();
    }
}
