package io.paddock.server.script;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The documented one-command ensemble: {@code bin/zkEnsemble.sh start} brings up three voters and
 * an observer on this machine, {@code status} shows one leader, two followers and the observer,
 * {@code stop} stops them all.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ZkEnsembleScriptIT {
    private final Path dir = TestServers.tempDir("paddock-zkensemble");
    private final Map<String, String> env = portBases();

    @AfterEach
    void cleanUp() throws Exception {
        run("stop");
        TestServers.deleteTree(dir);
    }

    @Test
    void startStatusStop() throws Exception {
        Result start = run("start", "3", "--observers", "1");
        assertEquals(0, start.exit(), start.output());
        assertTrue(start.output().contains("127.0.0.1:" + (Integer.parseInt(env.get("ENSEMBLE_CLIENT_PORT_BASE")) + 1)),
                start.output());

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String out = run("status").output();
            return count(out, "Mode: leader") == 1 && count(out, "Mode: follower") == 2
                    && count(out, "Mode: observer") == 1;
        });

        Result stop = run("stop");
        assertEquals(0, stop.exit(), stop.output());
        Result after = run("status");
        assertEquals(0, count(after.output(), "Mode:"), after.output());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private record Result(int exit, String output) {
    }

    private Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("bin/zkEnsemble.sh").toString());
        cmd.addAll(List.of(args));
        cmd.add("--dir");
        cmd.add(dir.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("ENSEMBLE_TICK_TIME", "500");
        pb.environment().put("ZK_SERVER_HEAP", "128");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "zkEnsemble.sh " + String.join(" ", args) + " hung");
        return new Result(p.exitValue(), out);
    }

    /** Four port ranges of four free ports each (the script numbers ports base+1..base+4). */
    private static Map<String, String> portBases() {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + random.nextInt(400) * 100;
            if (free(base + 1, base + 4) && free(base + 11, base + 14) && free(base + 21, base + 24)
                    && free(base + 31, base + 34)) {
                return Map.of("ENSEMBLE_CLIENT_PORT_BASE", Integer.toString(base),
                        "ENSEMBLE_QUORUM_PORT_BASE", Integer.toString(base + 10),
                        "ENSEMBLE_ELECTION_PORT_BASE", Integer.toString(base + 20),
                        "ENSEMBLE_ADMIN_PORT_BASE", Integer.toString(base + 30));
            }
        }
        throw new AssertionError("no free port range found");
    }

    private static boolean free(int from, int to) {
        for (int port = from; port <= to; port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static Path repoRoot() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("bin/zkServer.sh"))) {
            d = d.getParent();
        }
        assertNotNull(d, "repository root not found");
        return d;
    }
}
