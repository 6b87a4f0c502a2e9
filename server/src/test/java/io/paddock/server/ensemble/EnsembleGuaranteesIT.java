package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.paddock.server.testing.FaultProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ZooKeeper's session and ordering guarantees on every member of an ensemble, under the faults
 * that broke them: three voters and an observer as real processes, Apache's Java client, and each
 * guarantee checked through a follower and through the observer.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EnsembleGuaranteesIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final byte[] DATA = "v".getBytes(StandardCharsets.UTF_8);
    private static final int OBSERVER = 4;

    enum Learner { FOLLOWER, OBSERVER }

    /** The observer, or the lowest-numbered follower. */
    private static int learner(int leader, Learner kind) {
        return kind == Learner.OBSERVER ? OBSERVER : leader == 1 ? 2 : 1;
    }

    private static List<Integer> followers(int leader) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            if (i != leader) {
                out.add(i);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ 1. pipelined writes

    @ParameterizedTest
    @EnumSource(Learner.class)
    void pipelinedWritesThroughALearnerAreAllAnsweredInOrderAroundAFailedOne(Learner kind) throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of())) {
            int leader = ens.awaitServing(ELECTION);
            ZooKeeper zk = connect(ens.connectString(learner(leader, kind)), 10_000);
            long session = zk.getSessionId();
            zk.create("/p", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            int n = 300;
            int wrongVersion = 150;
            List<int[]> answers = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(n);
            AsyncCallback.StatCallback onSet = (rc, path, ctx, stat) -> {
                answers.add(new int[] {(Integer) ctx, rc});
                all.countDown();
            };
            AsyncCallback.StringCallback onCreate = (rc, path, ctx, name) -> {
                answers.add(new int[] {(Integer) ctx, rc});
                all.countDown();
            };
            for (int i = 0; i < n; i++) {
                if (i == wrongVersion) {
                    zk.setData("/p", DATA, 1_000_000, onSet, i);
                } else if (i % 2 == 0) {
                    zk.create("/p/s-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, onCreate, i);
                } else {
                    zk.setData("/p", DATA, -1, onSet, i);
                }
            }
            assertTrue(all.await(60, TimeUnit.SECONDS), "answers: " + answers.size() + " of " + n);
            for (int i = 0; i < n; i++) {
                int[] a = answers.get(i);
                assertEquals(i, a[0], "answers out of request order");
                int expected = (i == wrongVersion ? Code.BADVERSION : Code.OK).intValue();
                assertEquals(expected, a[1], "request " + i + " answered " + Code.get(a[1]));
            }
            assertEquals(ZooKeeper.States.CONNECTED, zk.getState());
            assertEquals(session, zk.getSessionId());
            // Every even request but the one with the wrong version created a child.
            assertEquals(n / 2 - 1, zk.getChildren("/p", false).size());
            zk.close();
        }
    }

    // ------------------------------------------------------------------ 2. a client that falls silent

    @ParameterizedTest
    @EnumSource(Learner.class)
    void aClientThatFallsSilentOnALearnerExpiresAfterItsTimeout(Learner kind) throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of()); FaultProxy path = new FaultProxy(
                ens.clientPort(learner(ens.awaitServing(ELECTION), kind)))) {
            int leader = ens.leader();
            int timeoutMs = 4000;
            ZooKeeper silent = connect(path.connectString(), timeoutMs);
            assertEquals(timeoutMs, silent.getSessionTimeout());
            silent.create("/silent", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            ZooKeeper check = connect(ens.connectString(leader), 10_000);

            // The connection stays open and carries nothing, as with a frozen client host.
            path.blackhole();
            long silentFrom = System.nanoTime();
            // Its last ping was at most a third of the timeout ago, so it lives on for the rest of it.
            await("the session lives out its timeout").during(Duration.ofMillis(2000))
                    .atMost(Duration.ofMillis(5000)).pollInterval(Duration.ofMillis(100))
                    .until(() -> check.exists("/silent", false) != null);
            await("the silent session expires").atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(100))
                    .until(() -> check.exists("/silent", false) == null);
            long goneAfterMs = (System.nanoTime() - silentFrom) / 1_000_000;
            assertTrue(goneAfterMs >= timeoutMs - timeoutMs / 3, "expired " + goneAfterMs + " ms after falling silent");
            check.close();
            silent.close(100);
        }
    }

    // ------------------------------------------------------------------ 3. a session that moved

    static Stream<Arguments> moves() {
        return Stream.of(Arguments.of("follower", "observer"), Arguments.of("observer", "leader"),
                Arguments.of("leader", "follower"));
    }

    @ParameterizedTest(name = "from {0} to {1}")
    @MethodSource("moves")
    void aWriteOnTheOldConnectionOfASessionThatMovedIsRefusedAndNotApplied(String from, String to) throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of())) {
            int leader = ens.awaitServing(ELECTION);
            int first = server(from, leader);
            int second = server(to, leader);
            ZooKeeper a = connect(ens.connectString(first), 10_000);
            a.create("/before", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            ZooKeeper b = attach(ens.connectString(second), a);

            KeeperException refused = null;
            try {
                a.create("/moved", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException e) {
                refused = e;
            }
            assertNotNull(refused, "a write on the session's old connection was applied after the session moved");
            assertTrue(refused.code() == Code.SESSIONMOVED || refused.code() == Code.CONNECTIONLOSS,
                    "refused with " + refused.code());
            b.sync("/", (rc, path, ctx) -> { }, null);
            assertNull(b.exists("/moved", false), "the refused write was applied");
            b.create("/after", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            assertEquals(b.getSessionId(), b.exists("/after", false).getEphemeralOwner());
            a.close(100);
            b.close();
        }
    }

    private static int server(String role, int leader) {
        return switch (role) {
            case "leader" -> leader;
            case "follower" -> learner(leader, Learner.FOLLOWER);
            case "observer" -> OBSERVER;
            default -> throw new IllegalArgumentException(role);
        };
    }

    // ------------------------------------------------------------------ 4. a paused leader resumes

    @Test
    void everySessionLivesOnOrIsToldItExpiredAfterThePausedLeaderAndAFollowerResume() throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of())) {
            int leader = ens.awaitServing(ELECTION);
            List<Integer> followers = followers(leader);
            int paused = followers.get(0);
            int running = followers.get(1);
            int timeoutMs = 4000;
            List<ZooKeeper> clients = new ArrayList<>();
            // One client tied to each server, observer included, and one that may go anywhere.
            for (int i = 1; i <= ens.size(); i++) {
                clients.add(connect(ens.connectString(i), timeoutMs));
            }
            clients.add(connect(ens.connectString(), timeoutMs));
            for (ZooKeeper zk : clients) {
                zk.create("/e-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
            }

            ens.pause(leader);
            ens.pause(paused);
            try {
                // Longer than every session's timeout, and long enough for the rest to lose the quorum.
                await("the pause outlasts the sessions' timeout").pollDelay(Duration.ofSeconds(9))
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> ens.mode(running).isEmpty());
            } finally {
                ens.resume(leader);
                ens.resume(paused);
            }
            ens.awaitServing(ELECTION);

            // Each session either works again or its client has been told it expired: never a live
            // connection whose session is refused as expired.
            for (int c = 0; c < clients.size(); c++) {
                ZooKeeper zk = clients.get(c);
                int index = c;
                await("client " + c + " works again or is told its session expired").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250)).until(() -> {
                            if (!zk.getState().isAlive()) {
                                return true;
                            }
                            try {
                                zk.create("/alive-" + index + "-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                        CreateMode.EPHEMERAL_SEQUENTIAL);
                                return true;
                            } catch (KeeperException e) {
                                return false;
                            }
                        });
            }
            for (ZooKeeper zk : clients) {
                zk.close(100);
            }
        }
    }

    // ------------------------------------------------------------------ 5. a deposed leader

    @ParameterizedTest
    @EnumSource(Learner.class)
    void aDeposedLeaderNeverAnswersAConditionalWriteFromUncommittedState(Learner kind) throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of(), true)) {
            int leader = ens.awaitServing(ELECTION);
            List<Integer> followers = followers(leader);
            // The client is the old leader's own, or the observer's, which stays linked to the old leader.
            int via = kind == Learner.OBSERVER ? OBSERVER : leader;
            ZooKeeper writer = connect(ens.connectString(via), 10_000);
            ZooKeeper client = connect(ens.connectString(via), 10_000);
            Stat created = new Stat();
            client.create("/r", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
            int committed = created.getVersion();

            ens.isolate(leader, followers.get(0), followers.get(1));
            // Not committable any more: the old leader has lost its quorum but does not know it yet.
            CompletableFuture<Integer> blind = setData(writer, "/r", "lost", -1);
            // It waits there for a commit that cannot come (through the observer, which forwards in order).
            await("the write reached " + via).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> outstandingRequests(ens, via) > 0);
            // Another session's CAS on the committed version, which the pending write would change.
            CompletableFuture<Integer> conditional = setData(client, "/r", "cas-old", committed);

            int newLeader = await("the followers elect a new leader").atMost(ELECTION).pollInterval(Duration.ofMillis(100))
                    .until(() -> followers.stream().filter(f -> ens.mode(f).equals("leader")).findFirst().orElse(-1),
                            f -> f > 0);
            ZooKeeper other = connect(ens.connectString(newLeader), 10_000);
            // The committed version is still the one the old client expected: this CAS wins.
            Stat won = other.setData("/r", "cas-new".getBytes(StandardCharsets.UTF_8), committed);
            assertEquals(committed + 1, won.getVersion());

            int rc = conditional.get(30, TimeUnit.SECONDS);
            assertNotEquals(Code.BADVERSION.intValue(), rc, "a deposed leader refused a CAS against uncommitted state");
            assertEquals(Code.CONNECTIONLOSS.intValue(), rc, "the conditional write cannot have been applied");
            assertEquals(Code.CONNECTIONLOSS.intValue(), (int) blind.get(30, TimeUnit.SECONDS));

            ens.healPeers();
            ens.awaitServing(ELECTION);
            for (int i = 1; i <= ens.size(); i++) {
                ZooKeeper check = connect(ens.connectString(i), 10_000);
                check.sync("/", (r, p, c) -> { }, null);
                Stat stat = new Stat();
                assertArrayEquals("cas-new".getBytes(StandardCharsets.UTF_8), check.getData("/r", false, stat),
                        "server " + i);
                assertEquals(committed + 1, stat.getVersion(), "server " + i);
                check.close();
            }
            other.close();
            writer.close(100);
            client.close(100);
        }
    }

    // ------------------------------------------------------------------ 6. a deposed leader and a re-attach

    /** Where the second handle re-attaches: the deposed leader itself, or the observer still linked to it. */
    enum Through { LEADER, OBSERVER }

    /**
     * A leader cut off from both followers still believes it leads for a moment. A session in use on a
     * follower re-attaches meanwhile through that leader (or the observer linked to it): the deposed
     * leader must not hand the session over, because the ensemble never hears of it and the old
     * connection's writes go on through the new leader. Once the second handle is told it is connected,
     * no write the first handle sends afterwards may succeed.
     */
    @ParameterizedTest
    @EnumSource(Through.class)
    void aDeposedLeaderNeverHandsASessionToANewConnection(Through through) throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of(), true)) {
            int leader = ens.awaitServing(ELECTION);
            List<Integer> followers = followers(leader);
            ZooKeeper first = connect(ens.connectString(followers.get(0)), 10_000);
            first.create("/w", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

            ens.isolate(leader, followers.get(0), followers.get(1));
            int target = through == Through.LEADER ? leader : OBSERVER;
            long[] connectedAt = {-1};
            ZooKeeper second = new ZooKeeper(ens.connectString(target), first.getSessionTimeout(), e -> {
                if (e.getType() == Watcher.Event.EventType.None
                        && e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    synchronized (connectedAt) {
                        if (connectedAt[0] < 0) {
                            connectedAt[0] = System.nanoTime();
                        }
                    }
                }
            }, first.getSessionId(), first.getSessionPasswd());
            try {
                // The first handle writes on through its follower, which soon follows a new leader. It stops
                // once 20 writes went through after the election, or once it is told the session moved
                // (through the observer, which may follow the new leader and take the session lawfully).
                int afterElection = 0;
                boolean moved = false;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (afterElection < 20 && !moved) {
                    assertTrue(System.nanoTime() < deadline, "the first handle's writes did not resume");
                    long invoked = System.nanoTime();
                    int rc = setData(first, "/w", "x", -1).get(30, TimeUnit.SECONDS);
                    long handed;
                    synchronized (connectedAt) {
                        handed = connectedAt[0];
                    }
                    if (rc == Code.OK.intValue()) {
                        assertFalse(handed >= 0 && invoked > handed, "a write on the old connection succeeded after "
                                + "the session was handed to server " + target + " (" + through + ")");
                        afterElection += followers.stream().anyMatch(f -> ens.mode(f).equals("leader")) ? 1 : 0;
                    } else {
                        moved = rc == Code.SESSIONMOVED.intValue();
                        // Connection lost while the follower joins the new leader: go on once it serves again.
                        await("the first handle reconnects").atMost(ELECTION).pollInterval(Duration.ofMillis(50))
                                .until(() -> first.getState() != ZooKeeper.States.CONNECTING);
                    }
                }
                if (through == Through.LEADER) {
                    synchronized (connectedAt) {
                        assertEquals(-1, connectedAt[0], "the deposed leader took the session");
                    }
                }
            } finally {
                second.close(100);
            }
            ens.healPeers();
            ens.awaitServing(ELECTION);
            first.close(100);
        }
    }

    /** The requests server {@code i} has received and not yet answered ({@code mntr}). */
    private static long outstandingRequests(Ensemble ens, int i) {
        for (String line : ens.fourLetterWord(i, "mntr").split("\n")) {
            if (line.startsWith("zk_outstanding_requests\t")) {
                return Long.parseLong(line.substring(line.indexOf('\t') + 1).trim());
            }
        }
        return -1;
    }

    private static CompletableFuture<Integer> setData(ZooKeeper zk, String path, String data, int version) {
        CompletableFuture<Integer> rc = new CompletableFuture<>();
        zk.setData(path, data.getBytes(StandardCharsets.UTF_8), version, (r, p, c, s) -> rc.complete(r), null);
        return rc;
    }

    // ------------------------------------------------------------------ clients

    private static ZooKeeper connect(String hosts, int timeoutMs) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(hosts, timeoutMs, e -> {
            if (e.getType() == Watcher.Event.EventType.None && e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            fail("no connection to " + hosts);
        }
        return zk;
    }

    /** A second handle on {@code first}'s session, connected through {@code hosts}. */
    private static ZooKeeper attach(String hosts, ZooKeeper first) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(hosts, first.getSessionTimeout(), e -> {
            if (e.getType() == Watcher.Event.EventType.None && e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, first.getSessionId(), first.getSessionPasswd());
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            fail("the session did not re-attach through " + hosts);
        }
        assertEquals(first.getSessionId(), zk.getSessionId());
        return zk;
    }
}
