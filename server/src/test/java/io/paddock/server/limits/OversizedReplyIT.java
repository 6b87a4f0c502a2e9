package io.paddock.server.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One multiRead of 300 getData on a 1 MB znode (a 300 MB reply) against a real server with a
 * 256 MB heap: the asking connection is closed (the Apache client sees a connection loss and
 * keeps its session), the process lives, and another client is served throughout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OversizedReplyIT {
    @Test
    void aReplyLargerThanJuteMaxBufferClosesThatConnectionOnly() throws Exception {
        byte[] big = new byte[1_000_000];
        try (ServerProcess server = ServerProcess.start(Map.of(), "-Xmx256m").awaitServing();
             ZooKeeper attacker = Clients.connect(server.connectString());
             ZooKeeper bystander = Clients.connect(server.connectString())) {
            attacker.create("/big", big, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            List<Op> reads = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                reads.add(Op.getData("/big"));
            }
            for (int round = 0; round < 3; round++) {
                assertThrows(KeeperException.ConnectionLossException.class, () -> attacker.multi(reads));
                bystander.create("/bystander-" + round, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertTrue(server.process().isAlive(), server.output());
            }
            // The session survived the closed connection, and the largest znode still reads back whole.
            assertArrayEquals(big, attacker.getData("/big", false, null));
            assertEquals(3, bystander.getChildren("/", false).stream().filter(c -> c.startsWith("bystander-")).count());
            assertTrue(server.output().contains("would exceed"), server.output());
        }
    }
}
