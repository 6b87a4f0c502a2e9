package io.paddock.server.limits;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection that pipelines 1,000 getData of a 500 KB znode and never reads its replies, against
 * a real server with a 128 MB heap: once the replies waiting for it pass
 * paddock.maxQueuedBytesPerConnection it is closed, the process lives, and a bystander is served.
 * (Without the bound the 500 MB of replies end the process.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnreadRepliesIT {
    @Test
    void aConnectionThatDoesNotReadItsRepliesIsClosed() throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (ServerProcess server = ServerProcess.start(Map.of(), "-Xmx128m").awaitServing();
             ZooKeeper bystander = Clients.connect(server.connectString());
             Socket socket = new Socket()) {
            bystander.create("/big", new byte[500_000], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            writer.execute(() -> {
                RawFrames.frame(out, RawFrames.connectRequest());
                for (int i = 0; i < 1000; i++) {
                    RawFrames.frame(out, RawFrames.pathRequest(i + 1, 4, "/big", false));
                }
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> server.output().contains("paddock.maxQueuedBytesPerConnection"));
            // Read what was sent before the close: the stream then ends.
            socket.setSoTimeout(10_000);
            assertEquals(-1, drain(socket.getInputStream()));
            bystander.create("/served", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertTrue(server.process().isAlive(), server.output());
        } finally {
            writer.shutdownNow();
        }
    }

    /** Reads until the end of the stream (or a reset), returning -1 then. */
    private static int drain(InputStream in) {
        byte[] buf = new byte[1 << 16];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // reset by the server: also an end
        }
        return -1;
    }
}
