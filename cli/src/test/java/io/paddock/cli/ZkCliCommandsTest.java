package io.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Every command, run one at a time as {@code zkCli.sh -server ... cmd args}, checked for output and exit code. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkCliCommandsTest {
    private static final Pattern STAT = Pattern.compile("cZxid = 0x[0-9a-f]+\nctime = .+\nmZxid = 0x[0-9a-f]+\n"
            + "mtime = .+\npZxid = 0x[0-9a-f]+\ncversion = -?\\d+\ndataVersion = -?\\d+\naclVersion = -?\\d+\n"
            + "ephemeralOwner = 0x[0-9a-f]+\ndataLength = \\d+\nnumChildren = \\d+\n");

    private static CliServer server;
    private String base;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = new CliServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void makeBase(TestInfo info) {
        base = "/" + info.getTestMethod().orElseThrow().getName();
        ok("create", base);
    }

    static Result run(String... command) {
        return server.run(command);
    }

    static Result ok(String... command) {
        Result r = run(command);
        assertEquals(0, r.code(), () -> String.join(" ", command) + " failed: " + r);
        return r;
    }

    static void fails(String expectedErr, String... command) {
        Result r = run(command);
        assertEquals(1, r.code(), () -> String.join(" ", command) + ": " + r);
        assertEquals("", r.out());
        assertEquals(expectedErr + "\n", r.err());
    }

    static void assertStat(String text) {
        assertTrue(STAT.matcher(text).matches(), () -> "not a stat block:\n" + text);
    }

    @Test
    void createGetSetStatDelete() {
        Result created = ok("create", base + "/a", "hello");
        assertEquals("", created.out());
        assertEquals("Created " + base + "/a\n", created.err());
        fails("Node already exists: " + base + "/a", "create", base + "/a");
        fails("Node does not exist: " + base + "/no/a", "create", base + "/no/a");

        assertEquals("hello\n", ok("get", base + "/a").out());
        Result withStat = ok("get", "-s", base + "/a");
        assertTrue(withStat.out().startsWith("hello\ncZxid = 0x"), withStat.out());
        assertStat(withStat.out().substring("hello\n".length()));
        assertTrue(withStat.out().contains("dataVersion = 0\n") && withStat.out().contains("dataLength = 5\n"));
        fails("Node does not exist: " + base + "/x", "get", base + "/x");

        assertEquals("", ok("set", base + "/a", "v2").out());
        Result set = ok("set", "-s", "-v", "1", base + "/a", "v3");
        assertStat(set.out());
        assertTrue(set.out().contains("dataVersion = 2\n"));
        fails("version No is not valid : " + base + "/a", "set", "-v", "99", base + "/a", "v4");
        fails("Node does not exist: " + base + "/x", "set", base + "/x", "v");
        assertEquals("v3\n", ok("get", base + "/a").out());

        Result stat = ok("stat", base + "/a");
        assertStat(stat.out());
        assertTrue(stat.out().contains("dataLength = 2\n"));
        fails("Node does not exist: " + base + "/x", "stat", base + "/x");
        assertStat(ok("stat", "-w", base + "/a").out());

        ok("create", base + "/a/child");
        fails("Node not empty: " + base + "/a", "delete", base + "/a");
        fails("version No is not valid : " + base + "/a/child", "delete", "-v", "5", base + "/a/child");
        ok("delete", "-v", "0", base + "/a/child");
        ok("delete", base + "/a");
        fails("Node does not exist: " + base + "/a", "delete", base + "/a");
    }

    @Test
    void createModes() {
        assertEquals("Created " + base + "/s0000000000\n", ok("create", "-s", base + "/s", "d").err());
        assertEquals("Created " + base + "/s0000000001\n", ok("create", "-s", base + "/s").err());
        // An ephemeral dies with the one-shot command's session.
        assertEquals("Created " + base + "/e\n", ok("create", "-e", base + "/e").err());
        fails("Node does not exist: " + base + "/e", "get", base + "/e");
        ok("create", "-c", base + "/c");
        Result ttl = ok("create", "-t", "60000", base + "/t", "x");
        assertEquals("Created " + base + "/t\n", ttl.err());
        assertStat(ok("stat", base + "/t").out());
        // No data: the node holds null, printed as such.
        assertEquals("null\n", ok("get", base + "/c").out());
        fails("-c cannot be combined with -s or -e: a container is neither sequential nor ephemeral",
                "create", "-c", "-e", base + "/bad");
        fails("-t cannot be combined with -e or -c: only persistent nodes have a TTL",
                "create", "-t", "100", "-e", base + "/bad");
        fails("-t abc: the ttl must be a number of milliseconds", "create", "-t", "abc", base + "/bad");
        fails("create [-s] [-e] [-c] [-t ttl] path [data] [acl]", "create");
        fails("create [-s] [-e] [-c] [-t ttl] path [data] [acl]", "create", "-q", base + "/bad");

        ok("create", base + "/acl", "d", "world:anyone:r");
        assertEquals("'world,'anyone\n: r\n", ok("getAcl", base + "/acl").out());
        fails("Insufficient permission : " + base + "/acl", "set", base + "/acl", "x");
    }

    @Test
    void ls() {
        ok("create", base + "/b");
        ok("create", base + "/a");
        ok("create", base + "/a/x");
        assertEquals("[a, b]\n", ok("ls", base).out());
        Result s = ok("ls", "-s", base);
        assertTrue(s.out().startsWith("[a, b]\ncZxid"), s.out());
        assertStat(s.out().substring("[a, b]\n".length()));
        assertTrue(s.out().contains("numChildren = 2\n"));
        assertEquals("[a, b]\n", ok("ls", "-w", base).out());
        assertEquals(base + "\n" + base + "/a\n" + base + "/b\n" + base + "/a/x\n", ok("ls", "-R", base).out());
        assertEquals("[]\n", ok("ls", base + "/b").out());
        fails("Node does not exist: " + base + "/x", "ls", base + "/x");
        fails("ls [-s] [-w] [-R] path", "ls");
        Result relative = run("ls", "relative");
        assertEquals(1, relative.code());
        assertTrue(relative.err().contains("relative"), relative.err());
    }

    @Test
    void deleteall() {
        for (String p : List.of("/t", "/t/a", "/t/a/1", "/t/a/2", "/t/b", "/t/b/1")) {
            ok("create", base + p);
        }
        ok("deleteall", base + "/t", "-b", "2");
        fails("Node does not exist: " + base + "/t", "stat", base + "/t");
        ok("create", base + "/u");
        ok("create", base + "/u/v");
        ok("deleteall", base + "/u");
        assertEquals("[]\n", ok("ls", base).out());
        fails("Node does not exist: " + base + "/x", "deleteall", base + "/x");
        fails("-b 0: the batch size must be positive", "deleteall", base, "-b", "0");
    }

    @Test
    void acls() {
        ok("create", base + "/n", "d");
        assertEquals("'world,'anyone\n: cdrwa\n", ok("getAcl", base + "/n").out());
        Result s = ok("getAcl", "-s", base + "/n");
        assertTrue(s.out().startsWith("'world,'anyone\n: cdrwa\ncZxid"), s.out());
        fails("Node does not exist: " + base + "/x", "getAcl", base + "/x");

        Result set = ok("setAcl", "-s", base + "/n", "world:anyone:cdrwa");
        assertStat(set.out());
        assertTrue(set.out().contains("aclVersion = 1\n"));
        fails("version No is not valid : " + base + "/n", "setAcl", "-v", "0", base + "/n", "world:anyone:r");
        assertEquals("", ok("setAcl", "-v", "1", base + "/n", "world:anyone:cdrwa").out());

        ok("create", base + "/n/c");
        ok("setAcl", "-R", base + "/n", "world:anyone:rw");
        assertEquals("'world,'anyone\n: rw\n", ok("getAcl", base + "/n/c").out());
        fails("invalid permission 'z' in ACL: use letters from cdrwa", "setAcl", base + "/n", "world:anyone:z");
        fails("setAcl [-s] [-v version] [-R] path acl", "setAcl", base + "/n");

        // Digest ACL: only the authenticated session gets in, and addauth + get is one command each.
        String id = io.paddock.client.DigestAuth.id("alice", "secret").id();
        ok("create", base + "/d", "private", "digest:" + id + ":cdrwa");
        fails("Insufficient permission : " + base + "/d", "get", base + "/d");
        // Reading an ACL needs READ or ADMIN on the node, as in Apache ZooKeeper 3.9.
        fails("Insufficient permission : " + base + "/d", "getAcl", base + "/d");
    }

    @Test
    void addauthAndWhoami() {
        assertEquals("Auth scheme: User\nip: 127.0.0.1\n", ok("whoami").out());
        assertEquals("", ok("addauth", "digest", "alice:secret").out());
        fails("addauth scheme auth", "addauth");
    }

    @Test
    void syncCountsAndEphemerals() {
        assertEquals("Sync is OK\n", ok("sync", base).out());
        ok("create", base + "/a");
        ok("create", base + "/a/b");
        ok("create", base + "/c");
        assertEquals("3\n", ok("getAllChildrenNumber", base).out());
        fails("Node does not exist: " + base + "/x", "getAllChildrenNumber", base + "/x");
        // A one-shot session owns no ephemerals.
        assertEquals("[]\n", ok("getEphemerals").out());
        assertEquals("[]\n", ok("getEphemerals", base).out());
    }

    @Test
    void watches() {
        assertEquals("", ok("addWatch", base).out());
        assertEquals("", ok("addWatch", "-m", "persistent", base).out());
        assertEquals("", ok("addWatch", "-m", "PERSISTENT_RECURSIVE", base).out());
        fails(WatchUsage.ADD, "addWatch", "-m", "sometimes", base);
        // Each command is its own session: it has no watch to remove.
        fails("KeeperErrorCode = No such watcher for " + base, "removewatches", base);
        fails("KeeperErrorCode = No such watcher for " + base, "removewatches", base, "-d", "-l");
        assertEquals("printwatches is on\n", ok("printwatches").out());
        assertEquals("", ok("printwatches", "off").out());
        fails("printwatches on|off", "printwatches", "maybe");
    }

    @Test
    void config() {
        Result r = ok("config");
        assertEquals(0, r.code());
        Result s = ok("config", "-s");
        assertTrue(STAT.matcher(s.out().substring(s.out().indexOf("cZxid"))).matches(), s.out());
        assertTrue(ok("config", "-c").out().endsWith("\n"));
    }

    @Test
    void shellCommands() {
        assertTrue(ok("version").out().matches("Paddock CLI version: \\S+ \\(ZooKeeper client protocol \\S+\\)\n"));
        assertEquals("0 - history\n", ok("history").out());
        fails("Command index out of range", "redo", "0");
        Result help = ok("help");
        assertTrue(help.err().startsWith(Commands.SYNOPSIS + "\n"), help.err());
        for (String name : List.of("addWatch", "addauth", "close", "config", "connect", "create", "delete", "deleteall",
                "get", "getAcl", "getAllChildrenNumber", "getEphemerals", "history", "ls", "printwatches", "quit",
                "redo", "removewatches", "set", "setAcl", "stat", "sync", "version", "whoami")) {
            assertTrue(help.err().contains("\t" + name + " ") || help.err().contains("\t" + name + "\n"), name);
        }
        assertEquals("", ok("quit").out());
        assertEquals("", ok("close").out());
        // connect replaces the session; the command's own work is then done.
        ok("connect", server.address());

        Result unknown = run("bogus", "arg");
        assertEquals(127, unknown.code());
        assertTrue(unknown.err().endsWith("Command not found: bogus\n"), unknown.err());
    }

    @Test
    void badShellOptionsAndUnreachableServer() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(1, ZkCli.run(new String[] {"-timeout", "soon", "ls", "/"}, out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("-timeout soon: expected milliseconds"));
        err.reset();
        assertEquals(1, ZkCli.run(new String[] {"-bogus", "ls", "/"}, out, errStream));
        err.reset();
        // Nothing listens on port 1: the command gives up after the timeout.
        assertEquals(1, ZkCli.run(new String[] {"-server", "127.0.0.1:1", "-timeout", "1500", "ls", "/"}, out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Unable to connect to 127.0.0.1:1"),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Usage texts shared with the assertions. */
    static final class WatchUsage {
        static final String ADD = "addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE]"
                + " - default is PERSISTENT_RECURSIVE";
    }
}
