package io.paddock.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.config.ServerConfig;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * paddock.maxWatchesPerSession against a real server process. With a 128 MB heap, 900,000 watches
 * (about 260 MB) would end the process; with the default limit the connection that asks for them is
 * refused past 100,000, stays open and served, and another client is served throughout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WatchLimitIT {
    private static final int QUOTA_EXCEEDED = -125;
    private static final int NO_NODE = -101;
    private static final int SET_WATCHES_XID = -8;
    private static final int PATHS_PER_SET_WATCHES = 60_000; // 15 bytes each: under jute.maxbuffer
    private static final int SET_WATCHES_REQUESTS = 15;

    @Test
    void setWatchesAndWatchingReadsPastTheLimitAreRefusedAndTheServerLives() throws Exception {
        int limit = ServerConfig.DEFAULT_MAX_WATCHES;
        int exists = limit - PATHS_PER_SET_WATCHES + 10_000; // 10,000 past the limit
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (ServerProcess server = ServerProcess.start(Map.of(), "-Xmx128m").awaitServing();
             ZooKeeper bystander = Clients.connect(server.connectString());
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            RawFrames.frame(out, RawFrames.connectRequest());
            assertTrue(RawFrames.readFrame(in).length >= 36, "handshake answered");

            // Written from another thread: the server stops reading a connection whose replies pile up.
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                for (int r = 0; r < SET_WATCHES_REQUESTS; r++) {
                    RawFrames.frame(out, setWatches(r));
                }
                for (int i = 0; i < exists; i++) {
                    RawFrames.frame(out, RawFrames.pathRequest(i + 1, 3, "/e" + i, true));
                }
            }, writer);

            for (int r = 0; r < SET_WATCHES_REQUESTS; r++) {
                RawFrames.Reply reply = RawFrames.Reply.read(in);
                assertEquals(SET_WATCHES_XID, reply.xid());
                assertEquals(r == 0 ? 0 : QUOTA_EXCEEDED, reply.err(), "setWatches " + r);
                bystander.create("/bystander-" + r, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            int allowed = limit - PATHS_PER_SET_WATCHES;
            for (int i = 0; i < exists; i++) {
                RawFrames.Reply reply = RawFrames.Reply.read(in);
                assertEquals(i + 1, reply.xid());
                assertEquals(i < allowed ? NO_NODE : QUOTA_EXCEEDED, reply.err(), "exists " + i);
            }
            sent.get(30, TimeUnit.SECONDS);

            // Still open and served: a read without a watch is answered.
            RawFrames.frame(out, RawFrames.pathRequest(exists + 1, 4, "/", false));
            RawFrames.Reply last = RawFrames.Reply.read(in);
            assertEquals(exists + 1, last.xid());
            assertEquals(0, last.err());
            assertNotNull(bystander.exists("/bystander-14", false));
            assertTrue(server.process().isAlive(), server.output());
            assertTrue(server.output().contains("paddock.maxWatchesPerSession"), server.output());
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void theApacheClientSeesQuotaExceededAndKeepsItsWatches() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("paddock.maxWatchesPerSession", "3")).awaitServing();
             ZooKeeper client = Clients.connect(server.connectString());
             ZooKeeper writer = Clients.connect(server.connectString())) {
            writer.create("/a", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            CompletableFuture<String> fired = new CompletableFuture<>();
            client.getData("/a", e -> fired.complete(e.getType() + " " + e.getPath()), null);
            client.getChildren("/a", true);
            client.exists("/missing", true);
            assertThrows(KeeperException.QuotaExceededException.class, () -> client.getData("/", true, null));
            client.getData("/a", true, null); // held already: never refused
            assertEquals(0, client.getData("/", false, null).length); // no watch asked: served

            writer.setData("/a", new byte[] {1}, -1); // fires the data watches, which frees room
            assertEquals("NodeDataChanged /a", fired.get(10, TimeUnit.SECONDS));
            client.getData("/", true, null);
        }
    }

    /** setWatches (101) naming paths that do not exist as exist watches: no catch-up event, all kept. */
    private static byte[] setWatches(int round) {
        return RawFrames.bytes(d -> {
            d.writeInt(SET_WATCHES_XID);
            d.writeInt(101);
            d.writeLong(0);
            d.writeInt(0); // data watches
            d.writeInt(PATHS_PER_SET_WATCHES);
            for (int i = 0; i < PATHS_PER_SET_WATCHES; i++) {
                RawFrames.str(d, String.format("/w%02d-%06d", round, i));
            }
            d.writeInt(0); // child watches
        });
    }
}
