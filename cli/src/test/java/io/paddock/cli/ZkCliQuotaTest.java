package io.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.cli.ZkCliCommandsTest.Result;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** setquota, listquota and delquota against a real server that enforces quotas, with Apache zkCli's output. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkCliQuotaTest {
    private static CliServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new CliServer(Map.of("enforceQuota", "true"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Result run(String... command) {
        return server.run(command);
    }

    private static Result ok(String... command) {
        Result r = run(command);
        assertEquals(0, r.code(), () -> String.join(" ", command) + " failed: " + r);
        return r;
    }

    @Test
    void setListAndDeleteAQuota() {
        ok("create", "/q", "abc");
        ok("create", "/q/c", "12");

        Result set = ok("setquota", "-N", "3", "/q");
        assertEquals("", set.out() + set.err());
        Result list = ok("listquota", "/q");
        assertEquals("absolute path is /zookeeper/quota/q/zookeeper_limits\n", list.err());
        assertEquals("Output quota for /q count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3\n"
                + "Output stat for /q count=2,bytes=5\n", list.out());

        // A second limit joins the first.
        ok("setquota", "-b", "100", "/q");
        assertTrue(ok("listquota", "/q").out().startsWith(
                "Output quota for /q count=-1,bytes=100=;byteHardLimit=-1;countHardLimit=3\n"));

        // The hard count limit holds: a third node fits, a fourth is refused by the server.
        ok("create", "/q/d");
        Result refused = run("create", "/q/e");
        assertEquals(1, refused.code(), refused.toString());
        assertEquals("KeeperErrorCode = Quota has exceeded for /q/e\n", refused.err());
        assertEquals("Output stat for /q count=3,bytes=5\n", ok("listquota", "/q").out().split("\n", 2)[1]);

        assertEquals("[Warning]: the count quota you create is less than the existing count:3\n",
                ok("setquota", "-n", "1", "/q").out());

        ok("delquota", "-N", "/q");
        assertTrue(ok("listquota", "/q").out().startsWith(
                "Output quota for /q count=1,bytes=100=;byteHardLimit=-1;countHardLimit=-1\n"));
        ok("create", "/q/e"); // past the soft limit only: accepted

        ok("delquota", "/q");
        Result gone = ok("listquota", "/q");
        assertEquals("absolute path is /zookeeper/quota/q/zookeeper_limits\nquota for /q does not exist.\n", gone.err());
        assertFalse(ok("ls", "/zookeeper/quota").out().contains("q"), "the empty quota nodes are trimmed");
        assertEquals("Quota does not exist for /q\n", ok("delquota", "/q").out());
    }

    @Test
    void quotasDoNotNestAndBadArgumentsAreRefusedAsApacheRefusesThem() {
        ok("create", "/n");
        ok("create", "/n/a");
        ok("create", "/n/a/b");
        ok("setquota", "-n", "10", "/n/a");

        Result parent = run("setquota", "-n", "5", "/n/a/b");
        assertEquals(1, parent.code());
        assertEquals("/n/a/b has a parent /n/a which has a quota\n", parent.err());
        Result child = run("setquota", "-n", "5", "/n");
        assertEquals(1, child.code());
        assertEquals("/n has a child /n/a which has a quota\n", child.err());
        Result missing = run("setquota", "-n", "5", "/nowhere");
        assertEquals(1, missing.code());
        assertEquals("/nowhere does not exist.\n", missing.err());

        assertEquals("the num quota must be greater than zero\n", ok("setquota", "-n", "0", "/n").err());
        assertEquals("the bytes quota must be greater than or equal to zero\n", ok("setquota", "-B", "-1", "/n").err());
        assertEquals("NumberFormatException happens when parsing the option value\n",
                ok("setquota", "-N", "many", "/n").err());
        assertEquals("cannot set a quota under the path: /zookeeper/quota\n",
                ok("setquota", "-n", "1", "/zookeeper/quota/x").err());
        Result two = run("setquota", "-n", "1", "-b", "2", "/n");
        assertEquals("setquota -n|-b|-N|-B val path\n", two.err());
        Result none = run("setquota", "/n");
        assertEquals("setquota -n|-b|-N|-B val path\n", none.err());
    }
}
