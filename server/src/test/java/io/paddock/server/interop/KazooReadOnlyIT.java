package io.paddock.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.server.ensemble.Ensemble;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kazoo's own read-only test case (TestReadOnlyMode in kazoo/tests/test_connection.py, from Debian's
 * python3-kazoo) run by kazoo's own harness against three Paddock servers: the harness starts
 * "Apache ZooKeeper" as {@code java -cp $ZOOKEEPER_CLASSPATH ...QuorumPeerMain zoo.cfg} with
 * {@code -Dreadonlymode.enabled=true}, so a one-line class of that name hands over to Paddock.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class KazooReadOnlyIT {
    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");
    private static final Path KAZOO_TESTS = Path.of("/usr/lib/python3/dist-packages/kazoo/tests/test_connection.py");
    /** kazoo's harness gives each of its three servers ports offset, offset+10, offset+20 (+0..+3 each). */
    private static final int PORTS_PER_SERVER = 10;

    @TempDir
    Path tmp;

    @Test
    void kazoosReadOnlyTestCasePasses() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEM_PYTHON) && Files.exists(KAZOO_TESTS)
                && exit(List.of(SYSTEM_PYTHON.toString(), "-c", "import kazoo, pytest")) == 0,
                "kazoo or pytest is not installed (Debian packages python3-kazoo, python3-pytest)");
        Ensemble.Launch paddock = Ensemble.Launch.paddock();
        Path shim = compileShim(paddock.mainClass());

        // kazoo's tests import the old 'mock' package; the standard library's unittest.mock is the same API.
        String runner = String.join("\n",
                "import sys, unittest.mock",
                "sys.modules['mock'] = unittest.mock",
                "import pytest",
                "sys.exit(pytest.main(['-v', '-p', 'no:cacheprovider', '-o', 'addopts=', sys.argv[1]]))");
        ProcessBuilder pb = new ProcessBuilder(SYSTEM_PYTHON.toString(), "-c", runner,
                KAZOO_TESTS + "::TestReadOnlyMode").directory(tmp.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("ZOOKEEPER_CLASSPATH", shim + File.pathSeparator + paddock.classpath());
        // 3.5 or later: the harness adds 4lw.commands.whitelist=* and reconfigEnabled=true, as for Apache 3.9.
        env.put("ZOOKEEPER_VERSION", "3.9.0");
        env.put("ZOOKEEPER_PORT_OFFSET", Integer.toString(freePortRange(3 * PORTS_PER_SERVER)));
        env.put("TMPDIR", tmp.toString());
        // The harness runs "java" from the PATH: the JVM this test runs in.
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + env.get("PATH"));
        // To a file, not a pipe: the servers the harness starts inherit its output.
        Path log = tmp.resolve("pytest.out");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean finished;
        try {
            finished = p.waitFor(120, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
            stopLeftoverServers();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "pytest did not finish:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("TestReadOnlyMode::test_read_only PASSED"), out);
    }

    /** Servers the harness started and left behind (their zoo.cfg lies under this test's TMPDIR). */
    private void stopLeftoverServers() {
        String mine = tmp.toString();
        ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains(mine) && c.contains("QuorumPeerMain"))
                        .orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** A class named as Apache's server main, handing its arguments to Paddock's. */
    private Path compileShim(String paddockMain) throws IOException {
        Path src = tmp.resolve("shim-src/org/apache/zookeeper/server/quorum/QuorumPeerMain.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, String.join("\n",
                "package org.apache.zookeeper.server.quorum;",
                "public final class QuorumPeerMain {",
                "    public static void main(String[] args) throws Exception {",
                "        Class.forName(\"" + paddockMain + "\").getMethod(\"main\", String[].class)"
                        + ".invoke(null, (Object) args);",
                "    }",
                "}"));
        Path classes = tmp.resolve("shim");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), src.toString()), "shim compiles");
        return classes;
    }

    /** The first port of {@code n} consecutive loopback ports that are all free a moment ago. */
    private static int freePortRange(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (allFree(first, n)) {
                return first;
            }
        }
        throw new IOException("no " + n + " consecutive free ports found");
    }

    private static boolean allFree(int first, int n) {
        for (int port = first; port < first + n; port++) {
            try (ServerSocket s = new ServerSocket(port)) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static int exit(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
