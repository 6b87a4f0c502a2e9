package io.paddock.server.limits;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.OpCode;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ConnectionStorm;
import io.paddock.server.testing.ServerProcess;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request throttle and the large-request bound against a real server process, seen from
 * Apache's client and from a raw socket.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ThrottlingIT {
    @Test
    void aRequestPastLargeRequestMaxBytesClosesItsConnectionAndTheSessionCarriesOn() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("largeRequestThreshold", "10000",
                "largeRequestMaxBytes", "20000")).awaitServing();
             ZooKeeper zk = Clients.connect(server.connectString())) {
            long session = zk.getSessionId();
            zk.create("/small", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // Large (above the threshold) but within the bound: it passes, and its bytes are given back once answered.
            zk.create("/big", new byte[15_000], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.setData("/big", new byte[15_000], -1);

            assertThrows(KeeperException.ConnectionLossException.class,
                    () -> zk.create("/huge", new byte[30_000], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));

            // The client reconnects with its session, and the other requests pass again.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .untilAsserted(() -> assertNotNull(zk.exists("/big", false)));
            assertEquals(session, zk.getSessionId());
            assertNull(zk.exists("/huge", false), "the refused request was not carried out");
            assertEquals(15_000, zk.getData("/big", false, null).length);
            assertEquals("1", ConnectionStorm.mntr("127.0.0.1", server.port()).get("large_requests_rejected"));
        }
    }

    @Test
    void pastTheRequestLimitRequestsWaitAndAllAreAnswered() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("request_throttle_max_requests", "2",
                "request_throttle_stall_time", "20")).awaitServing()) {
            List<ZooKeeper> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(Clients.connect(server.connectString()));
                }
                int perClient = 100;
                CountDownLatch done = new CountDownLatch(3 * perClient);
                AtomicInteger failed = new AtomicInteger();
                for (int i = 0; i < clients.size(); i++) {
                    for (int k = 0; k < perClient; k++) {
                        clients.get(i).create("/c" + i + "-" + k, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                CreateMode.PERSISTENT, (rc, path, ctx, name) -> {
                                    if (rc != 0) {
                                        failed.incrementAndGet();
                                    }
                                    done.countDown();
                                }, null);
                    }
                }
                assertTrue(done.await(60, TimeUnit.SECONDS), "every request is answered");
                assertEquals(0, failed.get());
                Map<String, String> mntr = ConnectionStorm.mntr("127.0.0.1", server.port());
                assertTrue(Long.parseLong(mntr.get("request_throttle_wait_count")) > 0, mntr.toString());
                assertEquals("0", mntr.get("stale_requests_dropped"));
            } finally {
                for (ZooKeeper zk : clients) {
                    zk.close();
                }
            }
        }
    }

    @Test
    void requestsWaitingForAConnectionThatClosedAreDropped() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("request_throttle_max_requests", "1")).awaitServing()) {
            try (ZooKeeper zk = Clients.connect(server.connectString())) {
                zk.create("/s", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            // A raw client pipelines 300 writes (each waits for its fsync, one at a time) and leaves at once.
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
                RawFrames.frame(out, RawFrames.connectRequest());
                RawFrames.readFrame(new DataInputStream(s.getInputStream()));
                for (int xid = 1; xid <= 300; xid++) {
                    int x = xid;
                    RawFrames.frame(out, RawFrames.bytes(d -> {
                        d.writeInt(x);
                        d.writeInt(OpCode.SET_DATA);
                        RawFrames.str(d, "/s");
                        d.writeInt(8);
                        d.write(new byte[8]);
                        d.writeInt(-1);
                    }));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(
                    ConnectionStorm.mntr("127.0.0.1", server.port()).get("stale_requests_dropped")) > 0);
            try (ZooKeeper zk = Clients.connect(server.connectString())) {
                assertTrue(zk.exists("/s", false).getVersion() < 300, "not every write of the closed connection was done");
            }
        }
    }
}
