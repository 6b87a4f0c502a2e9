package io.paddock.server.differential;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: the same seeded random operation sequence, through the real Apache
 * ZooKeeper Java client, against two servers; every result must agree.
 *
 * <p>System properties: {@code differential.pair} (default {@code apache,paddock}; use
 * {@code apache,apache} to check the harness itself), {@code differential.seed} (one seed, or
 * several separated by commas, to replay), {@code differential.ops} (operations per seed,
 * default 2000), {@code differential.dump} (a directory to write each run's full trace to).
 */
class DifferentialTest {
    private static final long[] CI_SEEDS = {20_240_611L, 7L, 0x5EED_BEEFL};

    static LongStream seeds() {
        String replay = System.getProperty("differential.seed");
        if (replay == null || replay.isBlank()) {
            return Arrays.stream(CI_SEEDS);
        }
        return Arrays.stream(replay.split(",")).map(String::trim).mapToLong(Long::decode);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sameOperationsGiveSameResults(long seed) throws Exception {
        String[] pair = System.getProperty("differential.pair", "apache,paddock").split(",");
        if (pair.length != 2) {
            throw new IllegalArgumentException("differential.pair must name two server kinds, got "
                    + Arrays.toString(pair));
        }
        int ops = Integer.getInteger("differential.ops", 2000);
        System.out.println("differential: seed=" + seed + " ops=" + ops + " pair=" + pair[0] + "," + pair[1]);
        try (TestServer a = TestServers.start(pair[0].trim(), Map.of());
                TestServer b = TestServers.start(pair[1].trim(), Map.of());
                DifferentialRun run = new DifferentialRun(seed, ops, a, b)) {
            long start = System.nanoTime();
            try {
                run.run();
            } finally {
                dumpIfAsked(seed, run.trace());
            }
            System.out.printf("differential: seed=%d passed, %d steps in %.1f s; results on A: %s%n", seed,
                    run.trace().steps().size(), (System.nanoTime() - start) / 1e9, run.trace().histogram());
        }
    }

    /** With -Ddifferential.dump=DIR, writes every step of the run to DIR/differential-SEED.txt. */
    private static void dumpIfAsked(long seed, Trace trace) throws IOException {
        String dir = System.getProperty("differential.dump");
        if (dir != null && !dir.isBlank()) {
            Path file = Path.of(dir).resolve("differential-" + seed + ".txt");
            Files.writeString(file, trace.dump());
            System.out.println("differential: trace written to " + file);
        }
    }
}
