package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The ensemble part of zoo.cfg: server.N lines, myid, and the quorum keys, read from real files. */
@Timeout(30)
class EnsembleConfigTest {
    private static final String THREE_AND_OBSERVER = """
            tickTime=2000
            initLimit=10
            syncLimit=5
            clientPort=2181
            server.3=zk3.example.com:2890:3890
            server.1=zk1.example.com:2888:3888
            server.2=zk2.example.com:2889:3889:participant
            server.4=zk4.example.com:2891:3891:observer
            """;

    @TempDir
    Path dir;

    private Path cfg(String body) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path file = dir.resolve("zoo.cfg");
        Files.writeString(file, "dataDir=" + data + "\n" + body);
        return file;
    }

    private void myid(String content) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve("myid"), content);
    }

    private ServerConfig load(String body) throws IOException {
        return ServerConfig.load(cfg(body));
    }

    /** Loading fails; the message names the file and contains every given fragment. */
    private String fails(String body, String... fragments) throws IOException {
        Path file = cfg(body);
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file));
        String m = e.getMessage();
        assertTrue(m.contains(file.toAbsolutePath().toString()) || m.contains(dir.resolve("data").toString()), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + f + "' missing from: " + m);
        }
        return m;
    }

    @Test
    void threeVotersAndAnObserver() throws IOException {
        myid("2\n");
        ServerConfig c = load(THREE_AND_OBSERVER);
        assertTrue(c.ensemble());
        assertEquals(2, c.myId());
        assertEquals(List.of(1L, 2L, 3L, 4L), c.peers().stream().map(PeerSpec::id).toList());
        assertEquals(new PeerSpec(1, "zk1.example.com", 2888, 3888, false, null, -1), c.peers().get(0));
        assertEquals(new PeerSpec(4, "zk4.example.com", 2891, 3891, true, null, -1), c.peers().get(3));
        assertEquals(c.peers().get(1), c.self());
        assertFalse(c.observer());
        assertEquals(10, c.initLimit());
        assertEquals(5, c.syncLimit());
        assertEquals(20_000, c.initLimitMs());
        assertEquals(10_000, c.syncLimitMs());
        assertEquals(2181, c.clientPort());
        assertTrue(c.standaloneEnabled());
        assertFalse(c.quorumListenOnAllIPs());
        assertEquals(5000, c.cnxTimeoutMs());
        assertEquals(500, c.commitLogCount());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
        assertThrows(UnsupportedOperationException.class, () -> c.peers().clear());
    }

    @Test
    void theObserverKnowsItIsOne() throws IOException {
        myid("4");
        ServerConfig c = load(THREE_AND_OBSERVER + "peerType=observer\n");
        assertTrue(c.ensemble());
        assertTrue(c.observer());
        assertEquals(4, c.self().id());
    }

    @Test
    void quorumKeysAreRead() throws IOException {
        myid("1");
        ServerConfig c = load(THREE_AND_OBSERVER
                + "quorumListenOnAllIPs=true\ncnxTimeout=1500\nelectionAlg=3\ncommitLogCount=800\nstandaloneEnabled=false\n");
        assertTrue(c.quorumListenOnAllIPs());
        assertEquals(1500, c.cnxTimeoutMs());
        assertEquals(800, c.commitLogCount());
        assertFalse(c.standaloneEnabled());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void commitLogCountComesFromTheSystemProperty() throws IOException {
        String before = System.getProperty("zookeeper.commitLogCount");
        System.setProperty("zookeeper.commitLogCount", "100");
        try {
            ServerConfig c = load("clientPort=2181\n");
            assertEquals(100, c.commitLogCount());
            assertTrue(c.warnings().stream().anyMatch(w -> w.contains("commitLogCount") && w.contains("500")),
                    c.warnings().toString());
            System.setProperty("zookeeper.commitLogCount", "0");
            fails("clientPort=2181\n", "zookeeper.commitLogCount", "'0'");
            System.setProperty("zookeeper.commitLogCount", "many");
            fails("clientPort=2181\n", "zookeeper.commitLogCount", "'many'");
        } finally {
            if (before == null) {
                System.clearProperty("zookeeper.commitLogCount");
            } else {
                System.setProperty("zookeeper.commitLogCount", before);
            }
        }
    }

    @Test
    void ipv6HostsAndClientAddressInTheLine() throws IOException {
        myid("1");
        ServerConfig c = load("""
                initLimit=5
                syncLimit=2
                server.1=[::1]:2888:3888;[::1]:2182
                server.2=[fe80::1%lo]:2889:3889;2183
                server.3=10.0.0.3:2890:3890:participant;0.0.0.0:2184
                """);
        PeerSpec one = c.self();
        assertEquals("::1", one.host());
        assertEquals("::1", one.clientAddress());
        assertEquals(2182, one.clientPort());
        assertEquals(2182, c.clientPort());
        assertEquals("::1", c.clientPortAddress());
        assertEquals("[::1]:2888:3888:participant;[::1]:2182", one.configValue());
        PeerSpec two = c.peers().get(1);
        assertEquals("fe80::1%lo", two.host());
        assertNull(two.clientAddress());
        assertEquals(2183, two.clientPort());
        assertEquals("[fe80::1%lo]:2889:3889:participant;0.0.0.0:2183", two.configValue());
        assertEquals("0.0.0.0", c.peers().get(2).clientAddress());
    }

    @Test
    void hostNamesAreNotResolvedWhenParsing() throws IOException {
        myid("1");
        ServerConfig c = load("initLimit=5\nsyncLimit=2\nclientPort=0\n"
                + "server.1=no-such-host.invalid:2888:3888\nserver.2=another.invalid:2888:3888\n");
        assertEquals("no-such-host.invalid", c.self().host());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("tolerates no failure")), c.warnings().toString());
    }

    @Test
    void clientPortFromTheServerLine() throws IOException {
        myid("2");
        ServerConfig c = load("initLimit=5\nsyncLimit=2\n"
                + "server.1=h1:2888:3888;2181\nserver.2=h2:2888:3888;127.0.0.1:2182\nserver.3=h3:2888:3888;2183\n");
        assertEquals(2182, c.clientPort());
        assertEquals("127.0.0.1", c.clientPortAddress());
    }

    @Test
    void clientPortGivenTwiceMustAgree() throws IOException {
        myid("2");
        String lines = "initLimit=5\nsyncLimit=2\nserver.1=h1:2888:3888;2181\nserver.2=h2:2888:3888;2182\n"
                + "server.3=h3:2888:3888;2183\n";
        assertEquals(2182, load(lines + "clientPort=2182\n").clientPort());
        fails(lines + "clientPort=2181\n", "clientPort=2181", "server.2=h2:2888:3888;2182", "2182");
        fails(lines.replace(";2182", ";127.0.0.1:2182") + "clientPortAddress=127.0.0.2\n",
                "clientPortAddress=127.0.0.2", "server.2", "127.0.0.1");
    }

    @Test
    void noClientPortAnywhere() throws IOException {
        myid("1");
        fails("initLimit=5\nsyncLimit=2\nserver.1=h1:2888:3888\nserver.2=h2:2888:3888\nserver.3=h3:2888:3888\n",
                "clientPort is not set in");
    }

    @Test
    void oneVotingServerRunsStandalone() throws IOException {
        // No myid file and no initLimit: neither is needed when the single line falls back to standalone.
        ServerConfig c = load("server.1=localhost:2888:3888;2185\n");
        assertFalse(c.ensemble());
        assertNull(c.self());
        assertFalse(c.observer());
        assertEquals(0, c.myId());
        assertEquals(1, c.peers().size());
        assertEquals(2185, c.clientPort());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("server.1") && w.contains("running standalone")),
                c.warnings().toString());
    }

    @Test
    void oneVotingServerWithoutStandaloneIsAnEnsembleOfOne() throws IOException {
        String body = "standaloneEnabled=false\ninitLimit=5\nsyncLimit=2\nclientPort=2181\nserver.1=localhost:2888:3888\n";
        fails(body, "myid", "missing");
        myid("1");
        ServerConfig c = load(body);
        assertTrue(c.ensemble());
        assertEquals(1, c.self().id());
    }

    @Test
    void impossibleQuorumShapes() throws IOException {
        fails("clientPort=2181\nserver.1=h1:2888:3888\nserver.2=h2:2888:3888:observer\n",
                "one voting server", "observer");
        fails("clientPort=2181\nserver.1=h1:2888:3888:observer\nserver.2=h2:2888:3888:observer\n", "only observers");
        fails("clientPort=2181\nstandaloneEnabled=false\n", "standaloneEnabled=false", "no server.N lines");
    }

    @Test
    void evenVoterCountsAreWarnedAbout() throws IOException {
        myid("1");
        ServerConfig c = load("initLimit=5\nsyncLimit=2\nclientPort=0\nserver.1=h1:1:2\nserver.2=h2:1:2\n"
                + "server.3=h3:1:2\nserver.4=h4:1:2\n");
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("4 voting servers") && w.contains("odd")),
                c.warnings().toString());
    }

    @Test
    void standaloneNeedsNoMyidFile() throws IOException {
        ServerConfig c = load("clientPort=2181\n");
        assertFalse(c.ensemble());
        assertEquals(0, c.myId());
        assertTrue(c.peers().isEmpty());
        assertNull(c.self());
        assertEquals(0, c.initLimit());
        assertFalse(Files.exists(dir.resolve("data").resolve("myid")));
    }

    @Test
    void myidProblemsNameTheFile() throws IOException {
        String myidPath = dir.resolve("data").resolve("myid").toString();
        fails(THREE_AND_OBSERVER, myidPath, "missing");
        myid("");
        fails(THREE_AND_OBSERVER, myidPath, "empty");
        myid("two\n");
        fails(THREE_AND_OBSERVER, myidPath, "'two'", "not a number");
        myid("256");
        fails(THREE_AND_OBSERVER, myidPath, "256", "between 1 and 255");
        myid("0");
        fails(THREE_AND_OBSERVER, myidPath, "holds 0", "between 1 and 255");
        myid("7");
        fails(THREE_AND_OBSERVER, myidPath, "holds 7", "no server.7 line", "1, 2, 3, 4");
        myid(" 3 \nignored\n");
        assertEquals(3, load(THREE_AND_OBSERVER).myId());
    }

    @Test
    void serverId255IsTooLargeForTtlNodes() throws IOException {
        myid("255");
        String body = "initLimit=5\nsyncLimit=2\nclientPort=0\nserver.255=h1:1:2\nserver.2=h2:1:2\nserver.3=h3:1:2\n";
        assertEquals(255, load(body).myId());
        fails(body + "extendedTypesEnabled=true\n", "255", "extendedTypesEnabled", "254");
    }

    @Test
    void limitsAreRequiredInAnEnsemble() throws IOException {
        myid("1");
        String noInit = THREE_AND_OBSERVER.replace("initLimit=10\n", "");
        Path file = cfg(noInit);
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file));
        assertEquals("initLimit is not set in " + file.toAbsolutePath(), e.getMessage());
        fails(THREE_AND_OBSERVER.replace("syncLimit=5\n", ""), "syncLimit is not set in");
        fails(THREE_AND_OBSERVER.replace("initLimit=10", "initLimit=0"), "initLimit", "'0'");
        fails(THREE_AND_OBSERVER.replace("syncLimit=5", "syncLimit=-1"), "syncLimit", "'-1'");
        fails(THREE_AND_OBSERVER.replace("syncLimit=5", "syncLimit=soon"), "syncLimit", "'soon'");
    }

    @Test
    void otherQuorumKeyErrors() throws IOException {
        myid("1");
        fails(THREE_AND_OBSERVER + "electionAlg=1\n", "electionAlg", "'1'", "only 3");
        fails(THREE_AND_OBSERVER + "quorumListenOnAllIPs=sometimes\n", "quorumListenOnAllIPs", "'sometimes'");
        fails(THREE_AND_OBSERVER + "standaloneEnabled=maybe\n", "standaloneEnabled", "'maybe'");
        fails(THREE_AND_OBSERVER + "cnxTimeout=0\n", "cnxTimeout", "'0'");
        fails(THREE_AND_OBSERVER + "peerType=spectator\n", "peerType", "'spectator'");
    }

    @Test
    void peerTypeMustAgreeWithTheServerLine() throws IOException {
        myid("4");
        fails(THREE_AND_OBSERVER + "peerType=participant\n", "peerType=participant",
                "server.4=zk4.example.com:2891:3891:observer", "an observer");
        myid("1");
        fails(THREE_AND_OBSERVER + "peerType=observer\n", "peerType=observer",
                "server.1=zk1.example.com:2888:3888", "a participant");
        assertFalse(load(THREE_AND_OBSERVER + "peerType=Participant\n").observer());
    }

    @Test
    void duplicateServerIds() throws IOException {
        myid("1");
        fails(THREE_AND_OBSERVER + "server.01=zk9.example.com:2898:3898\n",
                "server id 1 is given twice", "server.01=zk9.example.com:2898:3898", "server.1=zk1.example.com:2888:3888");
        fails(THREE_AND_OBSERVER + "server.2=zk9.example.com:2898:3898\n", "server.2 is given twice",
                "zk2.example.com:2889:3889:participant", "zk9.example.com:2898:3898");
    }

    @Test
    void serversMayNotShareAnAddress() throws IOException {
        myid("1");
        fails("initLimit=5\nsyncLimit=2\nclientPort=0\n"
                + "server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3888\n",
                "server.1 and server.3", "127.0.0.1:3888");
    }

    @Test
    void badServerKeys() throws IOException {
        fails("clientPort=0\nserver.one=h:2888:3888\n", "server.one", "server id");
        fails("clientPort=0\nserver.0=h:2888:3888\n", "server.0", "outside 1..255");
        fails("clientPort=0\nserver.256=h:2888:3888\n", "server.256", "outside 1..255");
    }

    @Test
    void badServerLines() throws IOException {
        String k = "clientPort=0\nserver.1=";
        fails(k + "h:2888\n", "server.1", "'h:2888'", "missing election port");
        fails(k + "h\n", "server.1", "missing quorum and election ports");
        fails(k + ":2888:3888\n", "server.1", "missing host");
        fails(k + "h:x:3888\n", "server.1", "quorum port 'x' is not a number");
        fails(k + "h:2888:70000\n", "server.1", "election port 70000");
        fails(k + "h:0:3888\n", "server.1", "quorum port 0");
        fails(k + "h:2888:2888\n", "server.1", "must differ");
        fails(k + "h:2888:3888:voter\n", "server.1", "'voter'", "participant or observer");
        fails(k + "h:2888:3888:observer:x\n", "server.1", "too many");
        fails(k + "::1:2888:3888\n", "server.1", "[brackets]");
        fails(k + "[::1:2888:3888\n", "server.1", "no matching ']'");
        fails(k + "h:2888:3888;2181;2182\n", "server.1", "more than one ';'");
        fails(k + "h:2888:3888;\n", "server.1", "nothing after ';'");
        fails(k + "h:2888:3888;a:b:2181\n", "server.1", "client part");
        fails(k + "h:2888:3888;port\n", "server.1", "client port 'port' is not a number");
        fails(k + "h:2888:3888;99999\n", "server.1", "client port 99999");
        fails(k + "a:2888:3888|b:2888:3888\n", "server.1", "not supported");
    }

    @Test
    void peerSpecRejectsImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new PeerSpec(0, "h", 1, 2, false, null, -1));
        assertThrows(IllegalArgumentException.class, () -> new PeerSpec(1, "", 1, 2, false, null, -1));
        assertThrows(IllegalArgumentException.class, () -> new PeerSpec(1, "h", 1, 70000, false, null, -1));
        assertThrows(IllegalArgumentException.class, () -> new PeerSpec(1, "h", 1, 2, false, "a", -1));
        assertEquals("h:1:2:observer", new PeerSpec(1, "h", 1, 2, true, null, -1).configValue());
        assertEquals(PeerSpec.parse(7, "h:1:2:observer;a:5"), new PeerSpec(7, "h", 1, 2, true, "a", 5));
    }
}
