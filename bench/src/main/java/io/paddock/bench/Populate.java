package io.paddock.bench;

import io.paddock.client.PaddockClient;
import io.paddock.protocol.CreateMode;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates N znodes as fast as the server takes them ({@code --znodes}, {@code --size}), under
 * {@code sqrt(N)} parents (so no parent holds more than about sqrt(N) children), with up to
 * {@code --outstanding} requests in flight (default 1000); prints the rate, then the same as
 * one JSON line. The last znode created is {@code /pop((N-1) % parents)/n(N-1)}.
 */
public final class Populate {
    private Populate() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String connect = m.getOrDefault("connect", "127.0.0.1:2181");
        int znodes = Integer.parseInt(m.getOrDefault("znodes", "1000000"));
        byte[] data = new byte[Integer.parseInt(m.getOrDefault("size", "100"))];
        new Random(3).nextBytes(data);
        int outstanding = Integer.parseInt(m.getOrDefault("outstanding", "1000"));
        int parents = Math.max(1, (int) Math.sqrt(znodes));
        try (PaddockClient c = PaddockClient.builder(connect).sessionTimeout(Duration.ofSeconds(30)).build()) {
            if (!c.awaitConnected(Duration.ofSeconds(30))) {
                throw new IllegalStateException("cannot connect to " + connect);
            }
            long t0 = System.nanoTime();
            for (int p = 0; p < parents; p++) {
                c.createAsync("/pop" + p, null, CreateMode.PERSISTENT);
            }
            Semaphore window = new Semaphore(outstanding);
            AtomicLong errors = new AtomicLong();
            for (int i = 0; i < znodes; i++) {
                window.acquire();
                CompletableFuture<String> f = c.createAsync("/pop" + (i % parents) + "/n" + i, data, CreateMode.PERSISTENT);
                f.whenComplete((r, e) -> {
                    if (e != null) {
                        errors.incrementAndGet();
                    }
                    window.release();
                });
                if (i % 100_000 == 0 && i > 0) {
                    System.err.printf("%,d created%n", i);
                }
            }
            window.acquire(outstanding);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("populated %,d znodes of %d bytes in %.1f s (%,.0f/s), %d errors%n", znodes, data.length, s,
                    znodes / s, errors.get());
            System.out.printf("{\"znodes\":%d,\"size\":%d,\"parents\":%d,\"seconds\":%.3f,\"perSec\":%.0f,\"errors\":%d}%n",
                    znodes, data.length, parents, s, znodes / s, errors.get());
        }
    }
}
