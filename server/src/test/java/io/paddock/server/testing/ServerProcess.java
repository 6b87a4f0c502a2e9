package io.paddock.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Paddock server as a real process ({@code io.paddock.server.Main} from the packaged jar),
 * with its own zoo.cfg in a temp directory, a chosen heap, and its output in a file. For ITs
 * that must see what a whole process does: exit at start-up, survive an attack.
 */
public final class ServerProcess implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final int port;

    private ServerProcess(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts a server on a free port with these zoo.cfg lines (beyond dataDir and clientPort) and JVM options. */
    public static ServerProcess start(Map<String, String> cfg, String... jvmOptions) {
        Path dir = TestServers.tempDir("paddock-process");
        int port;
        try {
            port = Clients.freePorts(1).get(0);
        } catch (IOException e) {
            TestServers.deleteTree(dir);
            throw new UncheckedIOException(e);
        }
        StringBuilder text = new StringBuilder("dataDir=" + dir.resolve("data") + "\nclientPort=" + port
                + "\nadmin.enableServer=false\n4lw.commands.whitelist=*\n");
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        Path target = repoRoot().resolve("server/target");
        command.addAll(List.of("-cp", target.resolve("paddock-server.jar") + File.pathSeparator
                + target.resolve("lib") + File.separator + "*", "io.paddock.server.Main", dir.resolve("zoo.cfg").toString()));
        try {
            Files.writeString(dir.resolve("zoo.cfg"), text);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.out").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new ServerProcess(dir, p, port);
        } catch (IOException e) {
            TestServers.deleteTree(dir);
            throw new UncheckedIOException(e);
        }
    }

    private static Path repoRoot() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("bin/zkServer.sh"))) {
            d = d.getParent();
        }
        if (d == null) {
            throw new IllegalStateException("repository root not found");
        }
        return d;
    }

    public int port() {
        return port;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public Process process() {
        return process;
    }

    /** Waits until the server answers {@code ruok}; fails at once if the process has exited. */
    public ServerProcess awaitServing() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + output());
            }
            return ruok();
        });
        return this;
    }

    /** Whether the server answers {@code imok} to {@code ruok} on a fresh connection. */
    public boolean ruok() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).equals("imok");
        } catch (IOException e) {
            return false;
        }
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.readString(dir.resolve("server.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Where its zoo.cfg is. */
    public Path config() {
        return dir.resolve("zoo.cfg");
    }

    @Override
    public void close() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            TestServers.deleteTree(dir);
        }
    }
}
