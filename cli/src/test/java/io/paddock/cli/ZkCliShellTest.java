package io.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell fed from a stream, as when commands are piped in:
 * the session-bound commands (history, redo, close, connect, quit, watches, ephemerals).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkCliShellTest {
    private static CliServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new CliServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private record Transcript(int code, String out, String err) {
    }

    private static Transcript shell(Path history, String... lines) {
        byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliOptions options = new CliOptions(server.address(), Duration.ofSeconds(10), false, List.of());
        int code = ZkCli.interactive(options, new ByteArrayInputStream(input), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), history);
        return new Transcript(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void historyAndRedo(@TempDir Path dir) throws Exception {
        Path history = dir.resolve("history");
        Transcript t = shell(history, "create /shell data", "get /shell", "set /shell again", "redo 1", "history",
                "redo 9", "quit", "ls /never-run");
        assertEquals(0, t.code());
        assertTrue(t.out().startsWith("Connecting to " + server.address() + "\nWelcome to Paddock!\n"), t.out());
        assertTrue(t.out().contains("[zk: " + server.address() + "("), t.out());
        // redo 1 ran "get /shell" again, after the set.
        assertTrue(t.out().contains("again\n"), t.out());
        assertTrue(t.out().contains("0 - create /shell data\n1 - get /shell\n2 - set /shell again\n3 - get /shell\n4 - history\n"),
                t.out());
        assertTrue(t.err().contains("Created /shell\n"), t.err());
        assertTrue(t.err().contains("Command index out of range\n"), t.err());
        assertTrue(!t.out().contains("never-run") && !t.err().contains("never-run"), "quit ends the shell");
        assertTrue(!Files.exists(history), "piped input is not added to the terminal history file");
        assertEquals(0, ZkCli.run(new String[] {"-server", server.address(), "delete", "/shell"}, System.out, System.err));
    }

    @Test
    void watchEventsPrintAsTheyArrive(@TempDir Path dir) {
        // Events print on the client's event thread while piped commands keep coming, so the switch
        // of printwatches is tested in its own session, before any watch exists (no race).
        Transcript t = shell(dir.resolve("h"), "create /watched a", "get -w /watched", "set /watched b",
                "ls -w /watched", "create /watched/kid", "addWatch -m persistent /watched", "set /watched d",
                "removewatches /watched", "sync /", "deleteall /watched", "quit");
        assertTrue(t.out().contains("WatchedEvent state:SyncConnected type:None path:null"), t.out());
        assertTrue(t.out().contains("\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/watched\n"),
                t.out());
        assertTrue(t.out().contains("WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/watched\n"), t.out());
        assertEquals(2, count(t.out(), "type:NodeDataChanged path:/watched"), t.out());
        assertTrue(t.out().contains("type:PersistentWatchRemoved path:/watched"), t.out());

        Transcript quiet = shell(dir.resolve("h2"), "printwatches off", "create /quiet a", "get -w /quiet",
                "set /quiet b", "sync /", "delete /quiet", "quit");
        assertEquals(0, count(quiet.out(), "path:/quiet"), "printwatches off hides events: " + quiet.out());
    }

    @Test
    void ephemeralsCloseAndConnect(@TempDir Path dir) {
        Transcript t = shell(dir.resolve("h"), "create -e /eph", "getEphemerals /", "close", "ls /", "connect "
                + server.address(), "getEphemerals", "stat /eph", "quit");
        assertTrue(t.out().contains("[/eph]\n"), t.out());
        assertTrue(t.err().contains("Not connected\n"), t.err());
        // The new session owns nothing, and closing the old one removed its ephemeral.
        assertTrue(t.out().contains("[]\n"), t.out());
        assertTrue(t.err().contains("Node does not exist: /eph\n"), t.err());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
