package io.paddock.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Four-letter words on the client port, checked for Apache's formats. */
@Timeout(60)
class FourLetterWordsTest {
    static String ask(int port, String word) throws IOException {
        return Clients.fourLetterWord(port, word);
    }

    private static ZooKeeper connect(TestServer server) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        assertTrue(up.await(10, TimeUnit.SECONDS));
        return zk;
    }

    @Test
    void defaultWhitelistIsSrvrOnly() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of("4lw.commands.whitelist", ""))) {
            String srvr = ask(server.port(), "srvr");
            assertTrue(srvr.contains("Mode: standalone\n"), srvr);
            assertEquals("ruok is not executed because it is not in the whitelist.\n", ask(server.port(), "ruok"));
            assertEquals("mntr is not executed because it is not in the whitelist.\n", ask(server.port(), "mntr"));
        }
    }

    @Test
    void formatsMatchApache() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of())) {
            ZooKeeper zk = connect(server);
            try {
                zk.create("/w", new byte[3], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.create("/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                zk.getData("/w", true, null);
                int port = server.port();
                String sid = Long.toHexString(zk.getSessionId());

                assertEquals("imok", ask(port, "ruok"));
                assertEquals("rw", ask(port, "isro"));
                assertEquals("306", ask(port, "gtmk"));

                String srvr = ask(port, "srvr");
                assertTrue(srvr.matches("(?s)Zookeeper version: 3\\.9\\.\\d+-paddock-[^,]+, built on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\n"
                        + "Latency min/avg/max: \\d+/\\d+(\\.\\d+)?/\\d+\nReceived: \\d+\nSent: \\d+\nConnections: 2\n"
                        + "Outstanding: \\d+\nZxid: 0x[0-9a-f]+\nMode: standalone\nNode count: 7\n"), srvr);

                String stat = ask(port, "stat");
                assertTrue(stat.contains("Clients:\n /127.0.0.1:"), stat);
                assertTrue(stat.contains("Mode: standalone\n"), stat);

                String cons = ask(port, "cons");
                assertTrue(cons.matches("(?s) /127\\.0\\.0\\.1:\\d+\\[1]\\(queued=\\d+,recved=\\d+,sent=\\d+,sid=0x" + sid
                        + ",lop=\\w+,est=\\d+,to=10000,lcxid=0x[0-9a-f]+,lzxid=0x[0-9a-f]+,lresp=\\d+,llat=\\d+,minlat=\\d+,avglat=\\d+,maxlat=\\d+\\)\n\n"), cons);

                String mntr = ask(port, "mntr");
                List<String> lines = List.of(mntr.split("\n"));
                assertTrue(lines.get(0).startsWith("zk_version\t3.9."), mntr);
                assertEquals("zk_server_state\tstandalone", lines.get(1));
                for (String line : lines) {
                    assertTrue(line.matches("zk_[a-z0-9_]+\t.+"), line);
                }
                assertTrue(lines.contains("zk_znode_count\t7"), mntr);
                assertTrue(lines.contains("zk_ephemerals_count\t1"), mntr);
                assertTrue(lines.contains("zk_watch_count\t1"), mntr);
                assertTrue(lines.contains("zk_global_sessions\t1"), mntr);
                assertTrue(lines.contains("zk_num_alive_connections\t2"), mntr);

                String conf = ask(port, "conf");
                assertTrue(conf.contains("clientPort=0\n") && conf.contains("tickTime=2000\n")
                        && conf.contains("/version-2\ndataDirSize=")
                        && conf.contains("maxSessionTimeout=40000\n") && conf.contains("serverId=0\n"), conf);

                String envi = ask(port, "envi");
                assertTrue(envi.startsWith("Environment:\nzookeeper.version=3.9."), envi);
                assertTrue(envi.contains("\njava.version=") && envi.contains("\nos.memory.free="), envi);

                assertEquals("1 connections watching 1 paths\nTotal watches:1\n", ask(port, "wchs"));
                assertEquals("0x" + sid + "\n\t/w\n\n", ask(port, "wchc"));
                assertEquals("/w\n\t0x" + sid + "\n\n", ask(port, "wchp"));

                String dump = ask(port, "dump");
                assertTrue(dump.startsWith("SessionTracker dump:\nSession Sets (1)/(1):\n"), dump);
                assertTrue(dump.contains("ephemeral nodes dump:\nSessions with Ephemerals (1):\n0x" + sid + ":\n\t/e\n"), dump);
                assertTrue(dump.contains("Connections Sets (1)/(1):\n") && dump.contains("\tip: /127.0.0.1:")
                        && dump.contains(" sessionId: 0x" + sid + "\n"), dump);
                assertTrue(stat.contains("[0](queued=0,recved=1,sent=0)"), "stat lists the asking connection: " + stat);

                assertTrue(ask(port, "dirs").matches("datadir_size: \\d+\nlogdir_size: \\d+\n"));
                assertEquals("Connection stats reset.\n", ask(port, "crst"));
                assertEquals("Server stats reset.\n", ask(port, "srst"));
                assertTrue(ask(port, "srvr").contains("Received: "));
            } finally {
                zk.close();
            }
        }
    }

    /**
     * A member whose peers never start does not serve: as Apache, the words that need a serving
     * server answer its error (mntr among them, though the admin monitor answers), the others answer.
     */
    @Test
    void aServerThatDoesNotServeAnswersOnlyTheWordsApacheAnswers() throws Exception {
        Path dir = TestServers.tempDir("paddock-4lw-looking");
        try {
            ServerConfig config = TestServers.lookingMember(dir, Map.of("4lw.commands.whitelist", "*"));
            try (PaddockServer server = PaddockServer.start(config)) {
                int port = server.clientPort();
                String notServing = "This ZooKeeper instance is not currently serving requests\n";
                for (String word : List.of("srvr", "stat", "cons", "crst", "srst", "mntr", "wchs", "wchc", "wchp",
                        "dump")) {
                    assertEquals(notServing, ask(port, word), word);
                }
                assertEquals("imok", ask(port, "ruok"));
                // Neither read-write nor read-only (Apache's word too): a client looking for a
                // read-write server must not move here.
                assertEquals("null", ask(port, "isro"));
                assertEquals("306", ask(port, "gtmk"));
                assertTrue(ask(port, "conf").contains("serverId=1\n"));
                assertTrue(ask(port, "envi").startsWith("Environment:\n"));
                assertTrue(ask(port, "dirs").startsWith("datadir_size: "));
            }
        } finally {
            TestServers.deleteTree(dir);
        }
    }

    @Test
    void unknownWordIsTreatedAsFrameLengthAndClosed() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of())) {
            assertEquals("", ask(server.port(), "abcd"));
            assertEquals("imok", ask(server.port(), "ruok"), "the server still answers");
        }
    }
}
