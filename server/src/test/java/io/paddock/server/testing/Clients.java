package io.paddock.server.testing;

import io.paddock.server.peer.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Apache's client connected and ready, and free loopback ports: the small chores of many tests. */
public final class Clients {
    private Clients() {
    }

    /** A session on {@code 127.0.0.1:port}, connected (fails the test after 20 s). */
    public static ZooKeeper connect(int port) throws IOException, InterruptedException {
        return connect("127.0.0.1:" + port);
    }

    /** A session on any of {@code connectString}'s servers, connected (fails the test after 20 s). */
    public static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        if (!up.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("no session with " + connectString + " within 20 s");
        }
        return zk;
    }

    /** Addresses of servers 1..n on 127.0.0.1, each with a quorum and an election port free a moment ago. */
    public static List<PeerAddress> peerAddresses(int n) throws IOException {
        return peerAddresses("127.0.0.1", n);
    }

    /** As {@link #peerAddresses(int)}, naming the servers' host {@code host} (a name or an address of loopback). */
    public static List<PeerAddress> peerAddresses(String host, int n) throws IOException {
        List<Integer> ports = freePorts(2 * n);
        List<PeerAddress> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new PeerAddress(i + 1, host, ports.get(2 * i), ports.get(2 * i + 1)));
        }
        return all;
    }

    /** The answer to a four-letter word sent to {@code 127.0.0.1:port} (read until the server closes). */
    public static String fourLetterWord(int port, String word) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(word.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** {@code n} distinct loopback ports free a moment ago (all held at once, so they differ). */
    public static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                held.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }
}
