package io.paddock.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a producer on a thread of its own and hands what it makes, in batches and in order, to a
 * consumer on the calling thread. Recovery reads, checks and decodes files on one core while it
 * builds the tree on another. A failure on either side stops both and is thrown here, as it was
 * thrown; the producer's thread has ended when {@link #run} returns.
 */
final class HandOff {
    private static final int BATCH = 2048;
    private static final Object END = new Object();

    /** Makes items and passes each to {@code out}, in order. */
    interface Producer<T> {
        void produce(Consumer<T> out) throws IOException;
    }

    private record Failure(Throwable cause) {
    }

    private HandOff() {
    }

    static <T> void run(String threadName, Producer<T> producer, Consumer<T> consumer) throws IOException {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
        Side side = new Side();
        Thread thread = new Thread(() -> {
            List<T> batch = new ArrayList<>(BATCH);
            try {
                producer.produce(item -> {
                    batch.add(item);
                    if (batch.size() == BATCH) {
                        side.put(queue, new ArrayList<>(batch));
                        batch.clear();
                    }
                });
                if (!batch.isEmpty()) {
                    side.put(queue, batch);
                }
                side.put(queue, END);
            } catch (CancellationException abandoned) {
                // The consumer failed and stopped taking; it reports its own failure.
            } catch (Throwable t) {
                try {
                    // What was made before the failure is handed over first, as it would have been.
                    if (!batch.isEmpty()) {
                        side.put(queue, new ArrayList<>(batch));
                    }
                    side.put(queue, new Failure(t));
                } catch (CancellationException abandoned) {
                    // as above
                }
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    return;
                }
                if (next instanceof Failure f) {
                    throw rethrow(f.cause());
                }
                @SuppressWarnings("unchecked")
                List<T> items = (List<T>) next;
                for (T item : items) {
                    consumer.accept(item);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + threadName + " was reading", e);
        } finally {
            side.abandoned = true;
            queue.clear();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof UncheckedIOException u) {
            return u.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(t);
    }

    /** The producer's side: waits for room, and gives up once the consumer has stopped. */
    private static final class Side {
        volatile boolean abandoned;

        void put(BlockingQueue<Object> queue, Object item) {
            try {
                while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    if (abandoned) {
                        throw new CancellationException();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException();
            }
        }
    }
}
