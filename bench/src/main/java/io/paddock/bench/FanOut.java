package io.paddock.bench;

import io.paddock.client.PaddockClient;
import io.paddock.client.WatchedEvent;
import io.paddock.protocol.CreateMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Watch fan-out: {@code watchers} sessions each watch one znode; a writer session sets its data,
 * and the time from the setData call to the last watcher's notification is one sample. Each round
 * re-arms every watch first; {@code warmup} rounds are not counted. Prints the latency to the
 * first, the median and the last notification (p50/p99/max over the rounds) and one JSON line,
 * with the time the watchers' sessions took to connect.
 *
 * <p>All sessions come from this host: the server's {@code maxClientCnxns} must allow watchers + 1.
 *
 * <pre>FanOut --connect 127.0.0.1:2181 --watchers 200 --rounds 100 --warmup 10</pre>
 */
public final class FanOut {
    private FanOut() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String connect = m.getOrDefault("connect", "127.0.0.1:2181");
        int watchers = Integer.parseInt(m.getOrDefault("watchers", "200"));
        int rounds = Integer.parseInt(m.getOrDefault("rounds", "100"));
        int warmup = Integer.parseInt(m.getOrDefault("warmup", "10"));

        PaddockClient writer = connect(connect);
        String path = "/fanout-" + Long.toHexString(System.nanoTime());
        writer.create(path, new byte[0], CreateMode.EPHEMERAL);
        long connecting = System.nanoTime();
        // All sessions are opened before any is waited for, so their creation shares the
        // server's log syncs instead of paying one each.
        List<PaddockClient> sessions = new ArrayList<>();
        for (int i = 0; i < watchers; i++) {
            sessions.add(PaddockClient.builder(connect).sessionTimeout(Duration.ofSeconds(30)).build());
        }
        for (PaddockClient s : sessions) {
            awaitConnected(s, connect);
        }
        double connectS = (System.nanoTime() - connecting) / 1e9;
        Histogram last = new Histogram(3);
        Histogram median = new Histogram(3);
        Histogram first = new Histogram(3);
        long timeouts = 0;
        for (int round = 0; round < warmup + rounds; round++) {
            long[] arrivals = new long[watchers];
            CountDownLatch notified = new CountDownLatch(watchers);
            List<CompletableFuture<?>> armed = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                int slot = i;
                armed.add(sessions.get(i).getDataAsync(path, (WatchedEvent e) -> {
                    arrivals[slot] = System.nanoTime();
                    notified.countDown();
                }));
            }
            CompletableFuture.allOf(armed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            writer.setData(path, Long.toString(round).getBytes(java.nio.charset.StandardCharsets.US_ASCII), -1);
            if (!notified.await(30, TimeUnit.SECONDS)) {
                timeouts++;
                continue;
            }
            if (round < warmup) {
                continue;
            }
            long[] sorted = arrivals.clone();
            java.util.Arrays.sort(sorted);
            first.recordValue(Math.max(0, sorted[0] - start) / 1000);
            median.recordValue(Math.max(0, sorted[watchers / 2] - start) / 1000);
            last.recordValue(Math.max(0, sorted[watchers - 1] - start) / 1000);
        }
        System.out.printf(Locale.ROOT, "fan-out to %d watchers (connected in %.1f s), %d rounds (%d timed out):%n",
                watchers, connectS, rounds, timeouts);
        print("first notification", first);
        print("median watcher   ", median);
        print("last notification ", last);
        System.out.printf(Locale.ROOT, "{\"workload\":\"fanout\",\"watchers\":%d,\"rounds\":%d,\"timeouts\":%d,"
                        + "\"lastP50\":%.3f,\"lastP99\":%.3f,\"lastMax\":%.3f,\"medianP50\":%.3f,\"firstP50\":%.3f,"
                        + "\"medianP99\":%.3f,\"firstP99\":%.3f,\"connectS\":%.2f}%n",
                watchers, rounds, timeouts, ms(last, 50), ms(last, 99), last.getMaxValue() / 1000.0, ms(median, 50),
                ms(first, 50), ms(median, 99), ms(first, 99), connectS);
        for (PaddockClient s : sessions) {
            s.close();
        }
        writer.close();
    }

    private static PaddockClient connect(String connect) throws InterruptedException {
        return awaitConnected(PaddockClient.builder(connect).sessionTimeout(Duration.ofSeconds(30)).build(), connect);
    }

    private static PaddockClient awaitConnected(PaddockClient c, String connect) throws InterruptedException {
        if (!c.awaitConnected(Duration.ofSeconds(30))) {
            throw new IllegalStateException("could not connect to " + connect
                    + " (more sessions than the server's maxClientCnxns per address, 60 by default?)");
        }
        return c;
    }

    private static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "  %s ms  p50 %.2f  p99 %.2f  max %.2f%n", what, ms(h, 50), ms(h, 99),
                h.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
