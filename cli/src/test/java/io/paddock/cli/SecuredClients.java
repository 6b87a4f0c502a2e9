package io.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/** The clients the secured-ensemble tests log in with: Apache's in this JVM, zkCli and kazoo as processes. */
final class SecuredClients {
    private SecuredClients() {
    }

    /** Apache's client with {@code config}, once it has logged in by SASL. */
    static ZooKeeper apache(String connect, ZKClientConfig config) throws IOException, InterruptedException {
        CountDownLatch authenticated = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 20_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SaslAuthenticated) {
                authenticated.countDown();
            }
        }, config);
        assertTrue(authenticated.await(30, TimeUnit.SECONDS), "SASL login with " + connect);
        return zk;
    }

    /** Paddock's zkCli as an operator runs it, with {@code jvmOptions} (CLIENT_JVMFLAGS); its output. */
    static String zkCli(List<String> jvmOptions, String server, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.paddock.cli.ZkCli", "-server", server,
                "-timeout", "10000"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "zkCli did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /**
     * Runs the kazoo {@code script} (lines of Python; it prints {@code ok} when all went well) with
     * {@code args} and {@code environment}; skipped when Python lacks one of {@code modules}.
     */
    static void kazoo(Path dir, List<String> script, String ok, List<String> args, Map<String, String> environment,
                      String modules) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import " + modules)
                .start().waitFor() == 0, "one of " + modules + " is not installed (.ci/run installs them)");
        Path file = Files.createTempFile(dir, "kazoo", ".py");
        Files.writeString(file, String.join("\n", script) + "\n");
        List<String> cmd = new ArrayList<>(List.of(python.toString(), file.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "kazoo did not finish: " + out);
        assertTrue(out.contains(ok), out);
    }
}
