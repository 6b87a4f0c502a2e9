package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.peer.RawPeer;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.TestServers;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Quorum SASL (DIGEST-MD5, Apache's quorum.auth.* keys and JAAS sections) on three voters and an
 * observer as real processes: a server with the wrong password cannot join while the others
 * serve, and the attacks on the peer ports (a fake learner forging an epoch, a repeated
 * handshake naming a live peer) change nothing while new sessions keep being created.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QuorumSaslIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final Map<String, String> SASL = Map.of("quorum.auth.enableSasl", "true",
            "quorum.auth.learnerRequireSasl", "true", "quorum.auth.serverRequireSasl", "true");
    private final Path dir = TestServers.tempDir("quorum-sasl");

    @AfterEach
    void clean() {
        TestServers.deleteTree(dir);
    }

    /** A JAAS file as Apache's docs write it; the login module class named is not on Paddock's class path. */
    private Path jaas(String name, String password) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, """
                QuorumServer {
                  org.apache.zookeeper.server.auth.DigestLoginModule required
                  user_paddock="s3cret";
                };
                QuorumLearner {
                  org.apache.zookeeper.server.auth.DigestLoginModule required
                  username="paddock"
                  password="%s";
                };
                """.formatted(password));
        return f;
    }

    @Test
    void authenticatedServersServeAndNeitherAWrongPasswordNorAForgerGetsIn() throws Exception {
        Path good = jaas("good.conf", "s3cret");
        Path bad = jaas("bad.conf", "guess");
        Ensemble.Launch launch = Ensemble.Launch.paddock();
        launch = new Ensemble.Launch(launch.mainClass(), launch.classpath(),
                List.of("-Djava.security.auth.login.config=" + good));
        try (Ensemble ens = new Ensemble(3, 1, SASL, launch)) {
            int leader;
            try {
                leader = ens.awaitServing(ELECTION);
            } catch (RuntimeException e) {
                throw new AssertionError("no leader: " + ens.tail(1) + "\n----\n" + ens.tail(2), e);
            }
            for (int i = 1; i <= 4; i++) {
                if (i != leader) {
                    String log = ens.log(i);
                    assertTrue(log.contains("authenticated on our") || ens.log(leader).contains("server " + i
                            + " authenticated on our"), "server " + i + " authenticated: " + ens.tail(leader));
                }
            }
            assertTrue(ens.log(leader).contains("as SASL user paddock"), ens.tail(leader));
            int follower = leader == 1 ? 2 : 1;
            try (ZooKeeper zk = Clients.connect(ens.connectString(follower))) {
                zk.create("/before", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            long epoch = ens.zxid(leader) >>> 32;
            assertTrue(epoch > 0);

            // The attacks, from this host, while clients create sessions and write through a follower and the observer.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger attacks = new AtomicInteger();
            Thread attacker = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        for (int i = 1; i <= 4; i++) {
                            // A fake learner naming a real follower, forging an epoch near 2^32.
                            attack(ens.quorumPort(i), follower, RawPeer.QUORUM, new Msg.Link(77, 1,
                                    new Msg.FollowerInfo(0xFFFF_FFFFL, 0, 0, false)));
                            // A handshake naming a live peer on the election port, with a vote for a forged leader.
                            attack(ens.electionPort(i), follower, RawPeer.ELECTION, new Msg.Vote(follower, 0x7FFF_0000_0000_0000L,
                                    0x7FFF_0000L, 1 << 20, ServerState.LEADING));
                        }
                        attacks.incrementAndGet();
                    } catch (IOException e) {
                        // A refused or reset connection is the expected outcome; go on.
                    }
                }
            });
            attacker.setDaemon(true);
            attacker.start();
            int sessions = 0;
            int failed = 0;
            List<String> why = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < until || attacks.get() < 20) {
                int through = sessions % 2 == 0 ? follower : 4;
                sessions++;
                try (ZooKeeper zk = Clients.connect(ens.connectString(through))) {
                    zk.create("/s-", "v".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT_SEQUENTIAL);
                } catch (Exception e) {
                    failed++;
                    why.add(String.valueOf(e));
                }
            }
            stop.set(true);
            attacker.join(10_000);
            System.out.printf("QuorumSaslIT: %d sessions created during %d attack rounds (8 forged connections each),"
                    + " %d failed%n", sessions, attacks.get(), failed);
            assertTrue(attacks.get() >= 20, "the attack ran: " + attacks.get() + " rounds");
            assertEquals(0, failed, failed + " of " + sessions + " sessions failed under attack: " + why);
            assertEquals(leader, ens.leader(), "the leader never changed");
            assertEquals(epoch, ens.zxid(leader) >>> 32, "the epoch never changed");
            assertTrue(ens.log(leader).contains("without SASL authentication, which quorum.auth.serverRequireSasl=true"
                    + " requires"), ens.tail(leader));

            // A member restarted with the wrong password is refused, and the others keep serving.
            int third = follower == 2 ? 3 : leader == 3 ? 2 : 3;
            ens.kill(third);
            ens.jvmOptions(third, List.of("-Djava.security.auth.login.config=" + bad));
            ens.start(third);
            await().atMost(ELECTION).until(() -> ens.log(leader).contains("server " + third)
                    && ens.log(leader).contains("SASL authentication failed"));
            try (ZooKeeper zk = Clients.connect(ens.connectString(4))) {
                zk.create("/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            assertEquals("", ens.mode(third), "a server that cannot authenticate does not serve");
            assertTrue(ens.alive(third));

            // With the right password it joins.
            ens.kill(third);
            ens.jvmOptions(third, List.of());
            ens.start(third);
            ens.awaitServing(ELECTION);
            try (ZooKeeper zk = Clients.connect(ens.connectString(third))) {
                zk.sync("/after", (rc, p, c) -> { }, null);
                await().until(() -> zk.exists("/after", false) != null);
            }
        }
    }

    /** One attacker connection: a valid handshake claiming to be {@code claimed}, then one message. */
    private static void attack(int port, long claimed, int kind, Msg msg) throws IOException {
        RawPeer.assertClosedAfter(port, out -> {
            RawPeer.frame(out, RawPeer.handshake(claimed, kind));
            RawPeer.frame(out, RawPeer.message(msg));
        });
    }
}
