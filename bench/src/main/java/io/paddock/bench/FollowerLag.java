package io.paddock.bench;

import io.paddock.client.PaddockClient;
import io.paddock.protocol.CreateMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often a write acknowledged by the leader is not yet visible to a second session that reads
 * right away through another member. Legal without {@code sync}, but it surprises users, so it is
 * measured: one session sets a znode through {@code --writer}; as soon as the write is
 * acknowledged, a second session reads it through {@code --reader}; a read that still shows the
 * old value is a miss, and the reader then polls until it sees the write (the lag). Prints one
 * JSON line: tries, misses, the miss rate and the lags of the misses (p50, max, in ms).
 *
 * <pre>FollowerLag --writer 127.0.0.1:2181 --reader 127.0.0.1:2182 --tries 400</pre>
 */
public final class FollowerLag {
    private FollowerLag() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String writerAt = m.getOrDefault("writer", "127.0.0.1:2181");
        String readerAt = m.getOrDefault("reader", "127.0.0.1:2182");
        int tries = Integer.parseInt(m.getOrDefault("tries", "400"));
        String path = m.getOrDefault("path", "/paddock-follower-lag");
        Duration timeout = Duration.ofSeconds(10);
        try (PaddockClient writer = PaddockClient.builder(writerAt).sessionTimeout(timeout).build();
             PaddockClient reader = PaddockClient.builder(readerAt).sessionTimeout(timeout).build()) {
            if (!writer.awaitConnected(timeout) || !reader.awaitConnected(timeout)) {
                throw new IllegalStateException("no session with " + writerAt + " and " + readerAt);
            }
            if (writer.exists(path) == null) {
                writer.create(path, bytes(0), CreateMode.PERSISTENT);
            }
            List<Double> lags = new ArrayList<>();
            for (int i = 1; i <= tries; i++) {
                byte[] value = bytes(i);
                writer.setData(path, value, -1);
                long acked = System.nanoTime();
                if (Arrays.equals(value, reader.getData(path).data())) {
                    continue;
                }
                long deadline = acked + timeout.toNanos();
                while (!Arrays.equals(value, reader.getData(path).data())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("write " + i + " not visible through " + readerAt + " after "
                                + timeout.toSeconds() + " s");
                    }
                }
                lags.add((System.nanoTime() - acked) / 1e6);
            }
            lags.sort(null);
            double p50 = lags.isEmpty() ? 0 : lags.get(lags.size() / 2);
            double max = lags.isEmpty() ? 0 : lags.get(lags.size() - 1);
            System.out.printf("{\"tries\":%d,\"misses\":%d,\"missPercent\":%.1f,\"lagP50Ms\":%.2f,\"lagMaxMs\":%.2f}%n",
                    tries, lags.size(), 100.0 * lags.size() / tries, p50, max);
        }
    }

    private static byte[] bytes(int i) {
        return Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
    }
}
