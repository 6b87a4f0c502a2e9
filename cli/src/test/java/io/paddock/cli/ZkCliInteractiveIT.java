package io.paddock.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/zkCli.sh in a real terminal (tmux), typed at like a person: a command, up-arrow to repeat
 * it from history, Tab to complete a command and a znode path; the history file is written.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ZkCliInteractiveIT {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolve("../bin/zkCli.sh").normalize();

    private CliServer server;
    private String tmuxSession;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(new ProcessBuilder("tmux", "-V").start().waitFor() == 0, "tmux is not installed");
        server = new CliServer();
        tmuxSession = "paddock-cli-it-" + ProcessHandle.current().pid();
    }

    @AfterEach
    void stop() throws Exception {
        if (tmuxSession != null) {
            tmux("kill-session", "-t", tmuxSession);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void historyAndTabCompletionInATerminal(@TempDir Path dir) throws Exception {
        Path history = dir.resolve("history");
        assertEquals(0, ZkCli.run(new String[] {"-server", server.address(), "create", "/completeme", "treasure"},
                System.out, System.err));
        String command = "CLIENT_JVMFLAGS='-Dpaddock.cli.history=" + history + "' " + SCRIPT + " -server "
                + server.address();
        assertEquals(0, tmux("new-session", "-d", "-s", tmuxSession, "-x", "160", "-y", "50", command));
        awaitScreen(s -> s.contains("(CONNECTED)") || s.contains("WatchedEvent state:SyncConnected"));

        keys("ls /", "Enter");
        awaitScreen(s -> s.contains("[completeme, zookeeper]"));

        // Up-arrow brings back "ls /"; running it again lists the root a second time.
        keys("Up");
        awaitScreen(s -> s.lines().filter(l -> l.endsWith("] ls /")).count() == 2);
        keys("Enter");
        awaitScreen(s -> s.lines().filter(l -> l.equals("[completeme, zookeeper]")).count() == 2);

        // Tab completes the command name, then the path from the server's children.
        keys("ge");
        keys("Tab");
        keys(" /comp");
        keys("Tab");
        awaitScreen(s -> s.contains("] get /completeme"));
        keys("Enter");
        awaitScreen(s -> s.lines().anyMatch(l -> l.equals("treasure")));

        keys("quit", "Enter");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(history)
                && Files.readString(history).contains("get /completeme"));
        String saved = Files.readString(history, StandardCharsets.UTF_8);
        assertTrue(saved.contains("ls /"), saved);
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", tmuxSession));
        args.addAll(List.of(keys));
        assertEquals(0, tmux(args.toArray(String[]::new)));
    }

    private void awaitScreen(java.util.function.Predicate<String> condition) {
        String[] last = {""};
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                last[0] = screen();
                return condition.test(last[0]);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("screen never matched; it shows:\n" + last[0], e);
        }
    }

    private String screen() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-J", "-S", "-200", "-t", tmuxSession)
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text.lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }

    private static int tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("tmux");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
