package io.paddock.server.limits;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * maxCnxns against a real server process: past it, a new connection is closed at accept (as
 * Apache does) while the open ones are served, and once one closes a new one is accepted again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MaxCnxnsIT {
    @Test
    void aConnectionPastMaxCnxnsIsClosedAndTheOthersAreServed() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("maxCnxns", "2", "maxClientCnxns", "0")).awaitServing();
             ZooKeeper first = Clients.connect(server.connectString())) {
            try (ZooKeeper second = Clients.connect(server.connectString())) {
                try (Socket third = new Socket("127.0.0.1", server.port())) {
                    third.setSoTimeout(10_000);
                    assertEquals(-1, readOrReset(third.getInputStream()), "the third connection is closed by the server");
                }
                first.create("/still-served", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertNotNull(second.exists("/still-served", false));
            }
            // The second one's close frees its place (the server counts it once its socket is gone).
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                try (ZooKeeper again = Clients.connect(server.connectString())) {
                    assertNotNull(again.exists("/still-served", false));
                }
            });
            assertTrue(server.output().contains("max is 2 (maxCnxns)"), server.output());
        }
    }

    /** The next byte, or -1 at end of stream or on a reset. */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }
}
