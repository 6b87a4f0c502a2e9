package io.paddock.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real third-party clients against a real Paddock: kazoo (Python) and the Apache C client's
 * cli_mt, from Debian's python3-kazoo and zookeeper-bin packages (.ci/run installs them).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThirdPartyClientsIT {
    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");
    private static final Path CLI_MT = Path.of("/usr/lib/zookeeper/bin/cli_mt");

    @TempDir
    Path tmp;

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out;
        try (InputStream o = p.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "client did not finish");
        return new Run(p.exitValue(), out);
    }

    private static boolean kazooInstalled() throws Exception {
        return Files.isExecutable(SYSTEM_PYTHON)
                && run(List.of(SYSTEM_PYTHON.toString(), "-c", "import kazoo"), "").exit() == 0;
    }

    @Test
    void kazooWorkout() throws Exception {
        assumeTrue(kazooInstalled(), "kazoo is not installed (Debian package python3-kazoo)");
        Path script = tmp.resolve("kazoo_workout.py");
        try (InputStream in = getClass().getResourceAsStream("/interop/kazoo_workout.py")) {
            Files.copy(in, script);
        }
        try (TestServer server = TestServers.paddock(Map.of())) {
            Run r = run(List.of(SYSTEM_PYTHON.toString(), script.toString(), server.connectString()), "");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("KAZOO OK"), r.output());
        }
    }

    @Test
    void cClientShell() throws Exception {
        assumeTrue(Files.isExecutable(CLI_MT), "the C client is not installed (Debian package zookeeper-bin)");
        try (TestServer server = TestServers.paddock(Map.of())) {
            Process p = new ProcessBuilder(CLI_MT.toString(), server.connectString()).redirectErrorStream(true).start();
            StringBuffer out = new StringBuffer();
            Thread reader = new Thread(() -> {
                try (InputStream o = p.getInputStream()) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = o.read(buf)) > 0) {
                        out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
            reader.start();
            OutputStream in = p.getOutputStream();
            try {
                // Like a person at the prompt: wait for the session, then for each answer.
                awaitOutput(out, "state = CONNECTED_STATE");
                send(in, out, "create /c", "[/c]: rc = 0");
                send(in, out, "set /c world", "mzxid");
                send(in, out, "get /c", "world");
                send(in, out, "create +e /c/eph", "[/c/eph]: rc = 0");
                send(in, out, "create +s /c/seq-", "name = /c/seq-0000000001");
                send(in, out, "ls /c", "\teph");
                send(in, out, "delete /c/eph", "/c/eph: rc = 0");
                send(in, out, "quit", "Quitting");
            } finally {
                in.close();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS) || p.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
                reader.join(10_000);
            }
            assertTrue(out.toString().contains("seq-0000000001"), out.toString());
        }
    }

    private static void send(OutputStream in, StringBuffer out, String command, String expect) throws Exception {
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        awaitOutput(out, expect);
    }

    private static void awaitOutput(StringBuffer out, String expect) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(20))
                .alias("C client output containing '" + expect + "'; so far:\n" + out)
                .until(() -> out.indexOf(expect.replace("\\t", "\t")) >= 0);
    }
}
