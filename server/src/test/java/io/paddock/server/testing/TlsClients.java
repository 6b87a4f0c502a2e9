package io.paddock.server.testing;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * Apache ZooKeeper clients over TLS, each with its own {@link ZKClientConfig} (no global system
 * properties, so clients with different certificates can share a JVM).
 */
public final class TlsClients {
    private TlsClients() {
    }

    /** A client config for TLS with {@code own}'s certificate (null: none) trusting {@code ca}, stores in {@code format}. */
    public static ZKClientConfig config(TlsCerts.Issued own, TlsCerts ca, TlsCerts.Format format) {
        ZKClientConfig c = new ZKClientConfig();
        c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        if (own != null) {
            c.setProperty("zookeeper.ssl.keyStore.location", own.store(format).toString());
            if (format != TlsCerts.Format.PEM) {
                // Apache reads a PEM key as encrypted whenever a password is given; the fixture's is plain.
                c.setProperty("zookeeper.ssl.keyStore.password", TlsCerts.PASSWORD);
            }
        }
        c.setProperty("zookeeper.ssl.trustStore.location", ca.trustStore(format).toString());
        c.setProperty("zookeeper.ssl.trustStore.password", TlsCerts.PASSWORD);
        return c;
    }

    /** A session over TLS on {@code 127.0.0.1:port}, connected (fails the test after 20 s). */
    public static ZooKeeper connect(int port, ZKClientConfig config) throws IOException, InterruptedException {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 10_000, watcher(up), config);
        if (!up.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("no TLS session with 127.0.0.1:" + port + " within 20 s");
        }
        return zk;
    }

    /**
     * Whether a TLS session on {@code port} comes up within {@code waitMs}; the client is closed
     * either way. For a client the server must refuse.
     */
    public static boolean connects(int port, ZKClientConfig config, long waitMs) throws IOException, InterruptedException {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 10_000, watcher(up), config);
        try {
            return up.await(waitMs, TimeUnit.MILLISECONDS);
        } finally {
            zk.close();
        }
    }

    private static Watcher watcher(CountDownLatch up) {
        return e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        };
    }
}
