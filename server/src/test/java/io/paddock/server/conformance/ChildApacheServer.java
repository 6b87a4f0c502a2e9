package io.paddock.server.conformance;

import io.paddock.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reference Apache server in its own JVM, for behaviour Apache fixes at class-load time
 * (system properties cached in static fields). Stopped by closing its stdin.
 */
final class ChildApacheServer implements TestServer {
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final int port;
    private final Thread drainer;

    private ChildApacheServer(Process process, int port, Thread drainer) {
        this.process = process;
        this.port = port;
        this.drainer = drainer;
    }

    static ChildApacheServer start(Map<String, String> systemProperties, Map<String, String> cfg) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(testClassPath());
        command.add(ChildApacheServerMain.class.getName());
        cfg.forEach((k, v) -> command.add(k + "=" + v));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drainer = new Thread(() -> drain(process, port), "child-apache-output");
        drainer.setDaemon(true);
        drainer.start();
        try {
            return new ChildApacheServer(process, port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS), drainer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("child Apache server did not start", e);
        }
    }

    /** Surefire may hide the real class path behind a manifest-only jar; it publishes it here. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Reads the child's output until it ends: picks up the port line, echoes the rest for diagnosis. */
    private static void drain(Process process, CompletableFuture<Integer> port) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(ChildApacheServerMain.PORT_PREFIX)) {
                    port.complete(Integer.parseInt(line.substring(ChildApacheServerMain.PORT_PREFIX.length()).trim()));
                } else {
                    System.out.println("[child apache] " + line);
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("child exited with output closed"));
    }

    @Override
    public String kind() {
        return "apache";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            drainer.join(5_000);
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
