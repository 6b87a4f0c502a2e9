package io.paddock.server.net;

import io.paddock.server.config.ThrottleConfig;
import io.paddock.server.stats.Metrics;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The request throttle, as Apache's RequestThrottler behaves: at most
 * {@code request_throttle_max_requests} requests in process (handed to the core and not yet
 * answered); past that, requests wait in arrival order, and a waiting request whose connection
 * has closed is dropped unanswered when {@code request_throttle_drop_stale} is on. Requests that
 * wait here still count against globalOutstandingLimit ({@link Throttle}), so a long queue stops
 * connections from reading, as in Apache.
 *
 * <p>When nothing waits and there is room, a request is handed on by the caller's thread; the
 * queue is drained by one thread of its own, which looks again on every answer and at least every
 * {@code request_throttle_stall_time} ms. Handing on happens under the lock, so a request never
 * overtakes an earlier one of its connection.
 */
final class RequestThrottler implements AutoCloseable {
    /** One request on its way to the core. */
    interface Item {
        /** Hands it to the core. */
        void submit();

        /** Whether it has lost its reason to be answered (its connection is gone); closeSession never does. */
        boolean stale();

        /** Gives it up unanswered. */
        void drop();
    }

    private final ThrottleConfig.Request config;
    private final Metrics metrics;
    private final ArrayDeque<Item> waiting = new ArrayDeque<>();
    private int inProcess;
    private boolean closed;
    private Thread drainer;

    RequestThrottler(ThrottleConfig.Request config, Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** Starts the thread that drains the queue; without it (in a unit test) {@link #drain()} does the work. */
    RequestThrottler start() {
        if (config.enabled()) {
            drainer = new Thread(this::run, "request-throttler");
            drainer.setDaemon(true);
            drainer.start();
        }
        return this;
    }

    /** Whether requests go through it at all (request_throttle_max_requests above 0). */
    boolean enabled() {
        return config.enabled();
    }

    /** Hands a request on now, or queues it behind those waiting. */
    void offer(Item item) {
        if (!config.enabled()) {
            item.submit();
            return;
        }
        synchronized (this) {
            if (waiting.isEmpty() && inProcess < config.maxRequests()) {
                inProcess++;
                item.submit();
            } else {
                waiting.add(item);
                notifyAll();
            }
        }
    }

    /** A request handed on has been answered (or will never be). */
    void finished() {
        if (!config.enabled()) {
            return;
        }
        synchronized (this) {
            inProcess--;
            if (!waiting.isEmpty()) {
                notifyAll();
            }
        }
    }

    /**
     * Drops stale requests at the head and hands on those that fit; true when the head must wait
     * for room (counted in request_throttle_wait_count, once per look, as Apache counts its stalls).
     */
    synchronized boolean drain() {
        Item head;
        while ((head = waiting.peek()) != null) {
            if (config.dropStale() && head.stale()) {
                waiting.poll();
                metrics.staleRequestsDropped.increment();
                head.drop();
            } else if (inProcess < config.maxRequests()) {
                waiting.poll();
                if (head.stale()) {
                    metrics.staleRequests.increment();
                }
                inProcess++;
                head.submit();
            } else {
                metrics.requestThrottleWaitCount.increment();
                return true;
            }
        }
        return false;
    }

    synchronized int inProcess() {
        return inProcess;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private synchronized void run() {
        try {
            while (!closed) {
                boolean stalled = drain();
                if (closed) {
                    break;
                }
                if (stalled) {
                    TimeUnit.MILLISECONDS.timedWait(this, Math.max(1, config.stallTimeMs()));
                } else {
                    wait();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The server is stopping: what still waits will never be answered.
        Item item;
        while ((item = waiting.poll()) != null) {
            item.drop();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        if (drainer != null) {
            try {
                drainer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
