package io.paddock.server.core;

/** Time at the edge: wall time for txn stamps, monotonic time for expiry. */
public interface Clock {
    long wallMs();

    long monotonicMs();

    Clock SYSTEM = new Clock() {
        @Override
        public long wallMs() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicMs() {
            return System.nanoTime() / 1_000_000;
        }
    };
}
