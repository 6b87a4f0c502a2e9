package io.paddock.server.replication;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.Acls;
import io.paddock.protocol.OpCode;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.peer.PeerAddress;
import io.paddock.server.storage.Recovery;
import io.paddock.server.storage.SnapshotWriter;
import io.paddock.server.storage.Storage;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.storage.TxnLog;
import io.paddock.server.testing.Clients;
import io.paddock.server.tree.SnapshotCursor;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.Zxid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real servers' replication on loopback: real transports, real data directories, each
 * listener applying what is committed to a real state machine.
 */
@Timeout(120)
class QuorumReplicatorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path root;
    private List<PeerAddress> addresses;
    private final Map<Long, Server> servers = new TreeMap<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("quorum-replicator");
        addresses = Clients.peerAddresses(3);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Server s : servers.values()) {
            s.close();
        }
        // Every replicator thread ends with close().
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("paddock-zab")));
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One server: its storage, its replicator and what its listener saw. */
    private final class Server implements Replicator.Listener, AutoCloseable {
        final long id;
        final Storage storage;
        final QuorumReplicator replicator;
        volatile StateMachine state;
        volatile ServerState role = ServerState.LOOKING;
        volatile boolean serving;
        volatile long leader = -1;
        volatile long epoch;
        volatile int resets;
        volatile Throwable failure;
        final List<Proposal> committed = new CopyOnWriteArrayList<>();
        boolean closed;

        Server(long id, int commitLogCount) throws IOException {
            this.id = id;
            Properties p = new Properties();
            p.setProperty("dataDir", root.resolve("server" + id).toString());
            p.setProperty("clientPort", "0");
            p.setProperty("extendedTypesEnabled", "true");
            // Small log preallocation: a new segment (every start, TRUNC and SNAP) costs little.
            p.setProperty("preAllocSize", "64");
            this.storage = new Storage(ServerConfig.parse(p, "server" + id));
            Recovery.Result recovered = storage.recover();
            this.state = recovered.state();
            // tickTime 200 ms: sync within 2 s, silence tolerated for 1 s once synced.
            QuorumSettings settings = new QuorumSettings(id, Set.of(1L, 2L, 3L), Set.of(), addresses, 200, 10, 5,
                    commitLogCount, null, 1000, true);
            this.replicator = new QuorumReplicator(settings, storage, recovered);
            replicator.start(this);
        }

        // Listener calls come from the zab thread, one at a time.

        @Override
        public void committed(Proposal p) {
            try {
                state.apply(p.header(), p.txn(), new ArrayList<>());
                committed.add(p);
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        @Override
        public void failed(Throwable cause, List<Proposal> lost) {
            failure = cause;
        }

        @Override
        public void roleChanged(ServerState state, long leader, long epoch, boolean serving) {
            this.role = state;
            this.leader = leader;
            this.epoch = epoch;
            this.serving = serving;
        }

        @Override
        public void reset(StateMachine newState) {
            state = newState;
            resets++;
        }

        /** Written right here for the test (the real core writes it in slices off its thread). */
        @Override
        public void snapshotWanted() {
            try {
                StateMachine sm = state;
                SnapshotCursor cursor = sm.tree().startSnapshot(sm.lastZxid());
                SnapshotWriter w = storage.beginSnapshot(sm.lastZxid(), List.copyOf(sm.sessions().all().values()),
                        cursor.nodeCount());
                cursor.emit(Integer.MAX_VALUE, w::add);
                w.finish();
                replicator.snapshotTaken(sm.lastZxid(), w.completion().get());
            } catch (Exception e) {
                failure = e;
            }
        }

        boolean servingLeader() {
            return serving && role == ServerState.LEADING;
        }

        long lastZxid() {
            return state.lastZxid();
        }

        /** Proposes creates of {@code names} as the next txns of this leader's epoch. */
        void propose(String... names) {
            long e = epoch;
            long counter = Zxid.epoch(lastProposed) == e ? Zxid.counter(lastProposed) : 0;
            for (String name : names) {
                long zxid = Zxid.make(e, ++counter);
                replicator.propose(new Proposal(new TxnHeader(0, (int) counter, zxid, System.currentTimeMillis()),
                        create(name), "origin " + name));
                lastProposed = zxid;
            }
        }

        long lastProposed;

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                replicator.close();
                storage.close();
            }
        }
    }

    private static Txn create(String name) {
        return new Txn.Create("/" + name, name.getBytes(StandardCharsets.UTF_8), Acls.OPEN_ACL_UNSAFE, 0, OpCode.CREATE);
    }

    private Server start(long id) throws IOException {
        return start(id, 500);
    }

    private Server start(long id, int commitLogCount) throws IOException {
        Server s = new Server(id, commitLogCount);
        servers.put(id, s);
        return s;
    }

    private void stop(long id) throws IOException {
        servers.remove(id).close();
    }

    /** Waits until the running servers agree on one serving leader, all others following it; returns it. */
    private Server awaitLeader() {
        Server[] found = new Server[1];
        await().atMost(WAIT).until(() -> {
            List<Server> leaders = servers.values().stream().filter(Server::servingLeader).toList();
            if (leaders.size() != 1) {
                return false;
            }
            Server l = leaders.get(0);
            boolean followed = servers.values().stream().allMatch(s -> s == l
                    || (s.role == ServerState.FOLLOWING && s.serving && s.leader == l.id && s.epoch == l.epoch));
            found[0] = l;
            return followed;
        });
        return found[0];
    }

    private void awaitAllAt(long zxid) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (Server s : servers.values()) {
                assertNull(s.failure, () -> "server " + s.id + " failed: " + s.failure);
                assertEquals(Zxid.hex(zxid), Zxid.hex(s.lastZxid()), "server " + s.id);
            }
        });
    }

    private static void assertHolds(Server s, String... names) {
        for (String name : names) {
            assertNotNull(s.state.tree().get("/" + name), () -> "server " + s.id + " lacks /" + name);
            assertArrayEquals(name.getBytes(StandardCharsets.UTF_8), s.state.tree().get("/" + name).data());
        }
    }

    private static boolean hasSnapshot(Server s) throws IOException {
        return !Recovery.snapshots(s.storage.snapshotDir()).isEmpty();
    }

    @Test
    void electsReplicatesFailsOverAndCatchesUpByDiff() throws Exception {
        for (long id = 1; id <= 3; id++) {
            start(id);
        }
        Server first = awaitLeader();
        long e1 = first.epoch;
        assertTrue(e1 >= 1);
        first.propose("a1", "a2", "a3", "a4", "a5");
        awaitAllAt(Zxid.make(e1, 5));
        for (Server s : servers.values()) {
            assertHolds(s, "a1", "a2", "a3", "a4", "a5");
            List<Long> zxids = s.committed.stream().map(p -> p.header().zxid()).toList();
            assertEquals(List.of(Zxid.make(e1, 1), Zxid.make(e1, 2), Zxid.make(e1, 3), Zxid.make(e1, 4),
                    Zxid.make(e1, 5)), zxids, "server " + s.id + " delivers in order");
            // The leader gets its own proposals back (with what it attached); the others decode them.
            assertEquals(s == first ? "origin a1" : null, s.committed.get(0).origin());
        }
        await().atMost(WAIT).untilAsserted(() -> {
            ReplicationStatus st = first.replicator.status();
            assertEquals("leader", st.mode());
            assertEquals(2, st.syncedFollowers());
            assertEquals(e1, st.epoch());
            assertTrue(st.lastElectionMs() >= 0);
        });
        Server follower = servers.values().stream().filter(s -> s != first).findFirst().orElseThrow();
        assertEquals("follower", follower.replicator.status().mode());
        assertEquals(first.id, follower.replicator.status().leader());

        // The leader goes: the two others elect one of them in a later epoch and carry on.
        long oldLeader = first.id;
        stop(oldLeader);
        Server second = awaitLeader();
        long e2 = second.epoch;
        assertTrue(e2 > e1, "epoch " + e2 + " after " + e1);
        second.propose("b1", "b2", "b3", "b4", "b5");
        awaitAllAt(Zxid.make(e2, 5));

        // The old leader comes back on its data directory and catches up from the leader's history.
        Server back = start(oldLeader);
        assertEquals(Zxid.make(e1, 5), back.lastZxid(), "recovered from its own disk");
        assertEquals(second, awaitLeader());
        awaitAllAt(Zxid.make(e2, 5));
        assertHolds(back, "a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "b5");
        assertEquals(0, back.resets, "synced by DIFF: its state was neither rebuilt nor replaced");
        assertFalse(hasSnapshot(back));
        assertEquals(e2, servers.get(oldLeader).replicator.status().epoch());

        second.propose("c1");
        awaitAllAt(Zxid.make(e2, 6));
        assertHolds(back, "c1");
    }

    @Test
    void aTxnOnlyOneServerLoggedIsTruncatedAndItsStateRebuilt() throws Exception {
        for (long id = 1; id <= 3; id++) {
            start(id);
        }
        Server first = awaitLeader();
        long e1 = first.epoch;
        first.propose("a1", "a2", "a3");
        awaitAllAt(Zxid.make(e1, 3));
        long straggler = first.id == 3 ? 2 : 3;
        for (long id = 1; id <= 3; id++) {
            stop(id);
        }
        // As if the leader had crashed right after logging a 4th txn on this server only.
        appendToLog(straggler, Zxid.make(e1, 4), "lost");

        for (long id = 1; id <= 3; id++) {
            if (id != straggler) {
                start(id);
            }
        }
        Server second = awaitLeader();
        long e2 = second.epoch;
        assertTrue(e2 > e1);
        second.propose("b1", "b2");
        awaitAllAt(Zxid.make(e2, 2));

        Server back = start(straggler);
        assertEquals(Zxid.make(e1, 4), back.lastZxid());
        assertHolds(back, "lost");
        awaitLeader();
        awaitAllAt(Zxid.make(e2, 2));
        assertEquals(1, back.resets, "the state was rebuilt without the truncated txn");
        assertNull(back.state.tree().get("/lost"));
        assertHolds(back, "a1", "a2", "a3", "b1", "b2");

        // And it is what a restart recovers from its disk.
        stop(straggler);
        back = start(straggler);
        assertEquals(Zxid.make(e2, 2), back.lastZxid());
        assertNull(back.state.tree().get("/lost"));
    }

    @Test
    void aLearnerTooFarBehindGetsTheLeadersSnapshot() throws Exception {
        for (long id = 1; id <= 3; id++) {
            start(id, 2);
        }
        Server leader = awaitLeader();
        long e = leader.epoch;
        leader.propose("a1", "a2");
        awaitAllAt(Zxid.make(e, 2));
        long behind = servers.keySet().stream().filter(id -> id != leader.id).findFirst().orElseThrow();
        stop(behind);
        leader.propose("a3", "a4", "a5", "a6", "a7", "a8");
        awaitAllAt(Zxid.make(e, 8));

        Server back = start(behind, 2);
        awaitAllAt(Zxid.make(e, 8));
        assertEquals(leader, awaitLeader());
        assertEquals(1, back.resets, "replaced by the leader's snapshot");
        assertTrue(hasSnapshot(back));
        assertHolds(back, "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8");

        leader.propose("a9");
        awaitAllAt(Zxid.make(e, 9));
        stop(behind);
        back = start(behind, 2);
        assertEquals(Zxid.make(e, 9), back.lastZxid(), "the snapshot and the log after it recover");
        assertHolds(back, "a1", "a9");
    }

    private void appendToLog(long id, long zxid, String name) throws IOException {
        Properties p = new Properties();
        p.setProperty("dataDir", root.resolve("server" + id).toString());
        p.setProperty("clientPort", "0");
        try (Storage storage = new Storage(ServerConfig.parse(p, "append"));
             TxnLog log = storage.openLog()) {
            log.append(zxid, TxnCodec.encode(new TxnHeader(0, 99, zxid, System.currentTimeMillis()), create(name)));
            log.sync();
        }
    }
}
