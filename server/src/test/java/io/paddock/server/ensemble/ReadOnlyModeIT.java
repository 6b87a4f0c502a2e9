package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Read-only mode (readonlymode.enabled) on an ensemble of three voters and an observer as real
 * processes: a follower, and then the observer, is cut off from every other server; Apache's client
 * reads from it, is refused writes, and is back to read-write once the member rejoins.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadOnlyModeIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final byte[] DATA = "before".getBytes(StandardCharsets.UTF_8);
    private static final int OBSERVER = 4;

    enum Member { FOLLOWER, OBSERVER }

    @ParameterizedTest
    @EnumSource(Member.class)
    void anIsolatedMemberServesReadOnlyClientsUntilItRejoins(Member kind) throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of("readonlymode.enabled", "true"), true)) {
            int leader = ens.awaitServing(ELECTION);
            int m = kind == Member.OBSERVER ? OBSERVER : leader == 1 ? 2 : 1;
            assertEquals("rw", ens.fourLetterWord(m, "isro"));

            // A read-only-capable session made while the member still had its quorum (kazoo's case); its
            // timeout outlasts the split, as the quorum's side hears nothing of it meanwhile.
            States early = new States();
            ZooKeeper before = new ZooKeeper(ens.connectString(m), 40_000, early, true);
            early.await(KeeperState.SyncConnected);
            before.create("/ro", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            long session = before.getSessionId();

            int[] others = otherServers(m, ens.size());
            ens.isolate(m, others);
            await().atMost(Duration.ofSeconds(30)).until(() -> ens.fourLetterWord(m, "isro").equals("ro"));
            assertEquals("read-only", ens.mode(m));
            // The rest of the ensemble keeps its quorum and serves reads and writes.
            assertEquals("rw", ens.fourLetterWord(others[0], "isro"));

            // The session made before the split is served read-only on this member, under its id.
            early.await(KeeperState.ConnectedReadOnly);
            assertEquals(session, before.getSessionId());
            assertArrayEquals(DATA, before.getData("/ro", false, null));

            // A new read-only client: reads what was written before, is refused writes with NotReadOnly.
            States fresh = new States();
            ZooKeeper ro = new ZooKeeper(ens.connectString(m), 6000, fresh, true);
            fresh.await(KeeperState.ConnectedReadOnly);
            long readOnlySession = ro.getSessionId();
            assertArrayEquals(DATA, ro.getData("/ro", false, null));
            assertEquals(List.of("ro", "zookeeper"), ro.getChildren("/", false).stream().sorted().toList());
            assertThrows(KeeperException.NotReadOnlyException.class,
                    () -> ro.create("/new", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            assertThrows(KeeperException.NotReadOnlyException.class, () -> ro.setData("/ro", DATA, -1));

            // A client that did not ask for read-only is refused while there is no quorum.
            States plain = new States();
            ZooKeeper rw = new ZooKeeper(ens.connectString(m), 6000, plain);
            try {
                assertFalse(plain.reached(KeeperState.SyncConnected, Duration.ofSeconds(3)));
            } finally {
                rw.close();
            }

            // Quorum back: the member serves read-write, and both read-only clients end up connected read-write.
            ens.healPeers();
            await().atMost(ELECTION).until(() -> ens.fourLetterWord(m, "isro").equals("rw"));
            fresh.await(KeeperState.SyncConnected);
            early.await(KeeperState.SyncConnected);
            assertEquals(session, before.getSessionId(), "the session made before the split lives on");
            // The session made read-only was known to the member only: the client now holds a real one.
            assertNotEquals(readOnlySession, ro.getSessionId());
            ro.create("/after", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            before.setData("/ro", DATA, -1);
            ro.close();
            before.close();
        }
    }

    private static int[] otherServers(int m, int n) {
        int[] out = new int[n - 1];
        int k = 0;
        for (int i = 1; i <= n; i++) {
            if (i != m) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The connection states a client went through, in order. */
    private static final class States implements org.apache.zookeeper.Watcher {
        private final List<KeeperState> seen = new CopyOnWriteArrayList<>();

        @Override
        public void process(org.apache.zookeeper.WatchedEvent e) {
            if (e.getType() == EventType.None) {
                seen.add(e.getState());
            }
        }

        /** Waits until the last state seen is {@code state}. */
        void await(KeeperState state) {
            org.awaitility.Awaitility.await().atMost(ELECTION)
                    .until(() -> !seen.isEmpty() && seen.get(seen.size() - 1) == state);
        }

        boolean reached(KeeperState state, Duration within) {
            try {
                org.awaitility.Awaitility.await().atMost(within).until(() -> seen.contains(state));
                return true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                return false;
            }
        }
    }
}
