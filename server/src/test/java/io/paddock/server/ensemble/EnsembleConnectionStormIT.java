package io.paddock.server.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ConnectionStorm;
import io.paddock.server.testing.SessionWorkload;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection storm against an ensemble (three voters and an observer, each with the connection
 * throttle on): about 5,000 new connections a second for three seconds, split between a follower
 * and the observer, while sessions on each of them write through the leader and read. Each server
 * sheds its part of the storm and counts it; every operation of the existing sessions succeeds.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class EnsembleConnectionStormIT {
    @Test
    void aFollowerAndAnObserverShedTheStormWhileTheirSessionsKeepWorking() throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, ConnectionStorm.THROTTLED)) {
            int leader = ens.awaitServing(Duration.ofSeconds(60));
            int follower = leader == 1 ? 2 : 1;
            int observer = 4;
            assertEquals("follower", ens.mode(follower));
            assertEquals("observer", ens.mode(observer));
            try (SessionWorkload work = new SessionWorkload("steady", List.of(ens.connectString(follower),
                    ens.connectString(follower), ens.connectString(observer), ens.connectString(observer)))) {
                work.awaitProgress(30, Duration.ofSeconds(30));
                long before = work.ops();
                ConnectionStorm.Result storm = ConnectionStorm.run(List.of(
                        new InetSocketAddress("127.0.0.1", ens.clientPort(follower)),
                        new InetSocketAddress("127.0.0.1", ens.clientPort(observer))), 5000, Duration.ofSeconds(3), 32);
                long during = work.ops() - before;
                System.out.println("ensemble connection storm (follower and observer): " + storm
                        + "; the 4 existing sessions did " + during + " operations meanwhile");
                work.awaitProgress(30, Duration.ofSeconds(30));
                assertEquals(List.of(), work.failures(), "every operation of the existing sessions succeeds");
                assertTrue(during > 0, "the existing sessions kept working during the storm");

                long followerRejected = rejected(ens, follower);
                long observerRejected = rejected(ens, observer);
                assertTrue(followerRejected > 0 && observerRejected > 0,
                        "each server refused its part: follower " + followerRejected + ", observer " + observerRejected);
                storm.assertShed(2 * ConnectionStorm.mostAdmitted(storm), followerRejected + observerRejected);
                assertEquals(0, rejected(ens, leader), "the leader saw no storm");
            }
            try (ZooKeeper late = Clients.connect(ens.connectString(observer))) {
                assertNotNull(late.exists("/steady-0", false), "a write through the follower is seen on the observer");
            }
        }
    }

    private static long rejected(Ensemble ens, int i) throws Exception {
        return Long.parseLong(ConnectionStorm.mntr("127.0.0.1", ens.clientPort(i)).get("connection_rejected"));
    }
}
