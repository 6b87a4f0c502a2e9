package io.paddock.server.peer;

import static io.paddock.server.peer.RawPeer.assertClosedAfter;
import static io.paddock.server.peer.RawPeer.frame;
import static io.paddock.server.peer.RawPeer.handshake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real transports on loopback: order, reconnection, hostile input, big messages, backpressure. */
@Timeout(120)
class PeerTransportTest {
    private static final int CONNECT_TIMEOUT_MS = 1000;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** What one transport's listener saw. */
    static final class Recorder implements PeerListener {
        record Received(long from, Msg msg) {
        }

        final ConcurrentLinkedQueue<Received> messages = new ConcurrentLinkedQueue<>();
        final Map<Long, AtomicInteger> downs = new ConcurrentHashMap<>();

        @Override
        public void onMessage(long from, Msg msg) {
            messages.add(new Received(from, msg));
        }

        @Override
        public void onPeerDown(long peer) {
            downs.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
        }

        int downs(long peer) {
            AtomicInteger n = downs.get(peer);
            return n == null ? 0 : n.get();
        }

        List<Msg> from(long peer) {
            return messages.stream().filter(r -> r.from() == peer).map(Received::msg).toList();
        }

        boolean got(long from, Msg msg) {
            return messages.contains(new Received(from, msg));
        }
    }

    private PeerTransport start(long id, List<PeerAddress> all, Recorder recorder) throws IOException {
        return start(id, all, recorder, PeerLimits.DEFAULT);
    }

    private PeerTransport start(long id, List<PeerAddress> all, Recorder recorder, PeerLimits limits) throws IOException {
        PeerTransport t = PeerTransport.start(id, all, null, CONNECT_TIMEOUT_MS, recorder, limits);
        toClose.add(t);
        return t;
    }

    private static Msg.Vote vote(long round) {
        return new Msg.Vote(1, 0x1_0000_0005L, 1, round, ServerState.LOOKING);
    }

    private static Msg.Link link(long seq) {
        return new Msg.Link(7, seq, seq % 2 == 0 ? new Msg.Ping() : new Msg.Commit(seq));
    }

    @Test
    void threeServersExchangeVotesAndLinkMessagesInOrder() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(3);
        Recorder[] recorders = {new Recorder(), new Recorder(), new Recorder()};
        PeerTransport[] transports = new PeerTransport[3];
        for (int i = 0; i < 3; i++) {
            transports[i] = start(i + 1, all, recorders[i]);
        }
        int n = 3000;
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PeerTransport t = transports[i];
            // One sending thread per server, interleaving kinds and destinations, as the core would.
            Thread sender = new Thread(() -> {
                for (int k = 1; k <= n; k++) {
                    for (long to = 1; to <= 3; to++) {
                        if (to != t.myId()) {
                            t.send(to, vote(k));
                            t.send(to, link(k));
                        }
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread s : senders) {
            s.join();
        }
        for (int i = 0; i < 3; i++) {
            Recorder r = recorders[i];
            await().atMost(Duration.ofSeconds(60)).until(() -> r.messages.size() == 2 * 2 * n);
            for (long from = 1; from <= 3; from++) {
                if (from == i + 1) {
                    continue;
                }
                List<Msg> got = r.from(from);
                List<Msg> votes = got.stream().filter(m -> m instanceof Msg.Vote).toList();
                List<Msg> links = got.stream().filter(m -> m instanceof Msg.Link).toList();
                assertEquals(n, votes.size());
                assertEquals(n, links.size());
                for (int k = 0; k < n; k++) {
                    assertEquals(vote(k + 1), votes.get(k));
                    assertEquals(link(k + 1), links.get(k));
                }
            }
            assertTrue(r.downs.isEmpty(), "no loss reported: " + r.downs);
        }
    }

    @Test
    void aRestartedPeerIsReportedDownThenReachedAgain() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(3);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        PeerTransport t1 = start(1, all, r1);
        PeerTransport t2 = start(2, all, r2);
        PeerTransport t3 = start(3, all, r3);
        // Every connection up in both directions.
        for (PeerTransport t : List.of(t1, t2, t3)) {
            for (long to = 1; to <= 3; to++) {
                if (to != t.myId()) {
                    t.send(to, vote(1));
                    t.send(to, link(1));
                }
            }
        }
        for (Recorder r : List.of(r1, r2, r3)) {
            await().until(() -> r.messages.size() == 4);
        }

        t3.close();
        await().until(() -> r1.downs(3) > 0 && r2.downs(3) > 0);
        assertEquals(0, r1.downs(2));
        assertEquals(0, r2.downs(1));

        Recorder r3b = new Recorder();
        PeerTransport t3b = start(3, all, r3b);
        // The first message may go to the old, dead connection before its close is seen; the core
        // repeats itself, so does this.
        await().until(() -> {
            t1.send(3, vote(2));
            t2.send(3, link(2));
            return r3b.got(1, vote(2)) && r3b.got(2, link(2));
        });
        t3b.send(1, link(3));
        t3b.send(2, vote(3));
        await().until(() -> r1.got(3, link(3)) && r2.got(3, vote(3)));
        // 1 and 2 never lost each other.
        assertEquals(0, r1.downs(2));
        assertEquals(0, r2.downs(1));
    }

    @Test
    void anUnreachablePeerIsReportedOncePerFailedAttemptThenReached() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(2);
        Recorder r1 = new Recorder();
        PeerTransport t1 = start(1, all, r1);
        t1.send(2, vote(1));
        t1.send(2, vote(2));
        await().until(() -> r1.downs(2) == 1);
        // No messages waiting, no further attempts, no further reports.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> r1.downs(2) == 1);

        Recorder r2 = new Recorder();
        start(2, all, r2);
        await().until(() -> {
            t1.send(2, vote(3));
            return r2.got(1, vote(3));
        });
    }

    @Test
    void hostileConnectionsAreClosedAndTheTransportKeepsWorking() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(2);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        start(1, all, r1);
        PeerTransport t2 = start(2, all, r2);
        int quorum = all.get(0).quorumPort();
        int election = all.get(0).electionPort();

        assertClosedAfter(quorum, out -> out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()));
        assertClosedAfter(quorum, out -> frame(out, handshake(0x12345678, PeerCodec.VERSION, 2, 0)));
        assertClosedAfter(quorum, out -> frame(out, handshake(PeerCodec.MAGIC, (short) 99, 2, 0)));
        assertClosedAfter(quorum, out -> frame(out, handshake(PeerCodec.MAGIC, PeerCodec.VERSION, 99, 0)));
        assertClosedAfter(quorum, out -> frame(out, handshake(PeerCodec.MAGIC, PeerCodec.VERSION, 1, 0)));
        assertClosedAfter(quorum, out -> frame(out, handshake(PeerCodec.MAGIC, PeerCodec.VERSION, 2, 1)));
        assertClosedAfter(election, out -> frame(out, new byte[] {1, 2, 3}));
        assertClosedAfter(quorum, out -> frame(out, new byte[0]));
        assertClosedAfter(quorum, out -> { }); // says nothing: the handshake times out
        assertEquals(0, r1.downs(2), "no handshake passed, so no peer was lost");

        // A good handshake, then bad frames: a bad flag, a bad message, a vote on the quorum port.
        byte[] hello = handshake(PeerCodec.MAGIC, PeerCodec.VERSION, 2, 0);
        assertClosedAfter(quorum, out -> {
            frame(out, hello);
            frame(out, new byte[] {7, 1});
        });
        assertClosedAfter(quorum, out -> {
            frame(out, hello);
            frame(out, new byte[] {PeerCodec.LAST, 99, 1, 2});
        });
        assertClosedAfter(quorum, out -> {
            frame(out, hello);
            byte[] v = PeerCodec.toBytes(vote(1));
            byte[] body = new byte[v.length + 1];
            System.arraycopy(v, 0, body, 1, v.length);
            frame(out, body);
        });
        assertClosedAfter(election, out -> {
            frame(out, handshake(PeerCodec.MAGIC, PeerCodec.VERSION, 2, 1));
            out.write(new byte[] {0x7f, 0, 0, 0}); // a frame length far above the maximum
        });
        assertTrue(r1.messages.isEmpty(), "nothing hostile was delivered: " + r1.messages);

        t2.send(1, vote(5));
        t2.send(1, link(5));
        await().until(() -> r1.got(2, vote(5)) && r1.got(2, link(5)));
    }

    @Test
    void aFiveMegabyteSnapshotArrivesIntactBetweenSmallMessages() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(2);
        Recorder r2 = new Recorder();
        PeerTransport t1 = start(1, all, new Recorder());
        start(2, all, r2);
        byte[] data = new byte[5 * 1024 * 1024 + 17];
        new Random(11).nextBytes(data);
        byte[] entry = new byte[(1 << 20) + 3000];
        new Random(12).nextBytes(entry);
        List<Msg> sent = List.of(
                new Msg.Link(1, 1, new Msg.Diff(3)),
                new Msg.Link(1, 2, new Msg.Snap(0x2_0000_0009L, data)),
                new Msg.Link(1, 3, new Msg.Propose(new Entry(0x2_0000_000AL, entry, "local"))),
                new Msg.Link(1, 4, new Msg.UpToDate()));
        for (Msg m : sent) {
            t1.send(2, m);
        }
        await().until(() -> r2.messages.size() == sent.size());
        List<Msg> got = r2.from(1);
        for (int i = 0; i < sent.size(); i++) {
            PeerCodecTest.assertSameMsg(sent.get(i), got.get(i));
        }
        assertArrayEquals(data, ((Msg.Snap) ((Msg.Link) got.get(1)).body()).data());
    }

    @Test
    void aMessageAboveTheReceiversLimitClosesTheConnectionAndIsReported() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(2);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        PeerTransport t1 = start(1, all, r1);
        start(2, all, r2, new PeerLimits(10_000, 64L << 20, 2L << 20));
        t1.send(2, new Msg.Link(1, 1, new Msg.Snap(5, new byte[3 << 20])));
        await().until(() -> r1.downs(2) > 0 && r2.downs(1) > 0);
        assertTrue(r2.messages.isEmpty());
        await().until(() -> {
            t1.send(2, new Msg.Link(1, 2, new Msg.Snap(5, new byte[1 << 20])));
            return !r2.messages.isEmpty();
        });
    }

    @Test
    void aPeerThatStopsReadingIsCutOffInsteadOfGrowingTheHeap() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(2);
        Recorder r1 = new Recorder();
        // Only the byte bound can trip: the message count bound is far away.
        PeerTransport t1 = start(1, all, r1, new PeerLimits(1_000_000, 1 << 20, 1L << 30));
        try (ServerSocket deaf = new ServerSocket(all.get(1).quorumPort(), 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = deaf.accept();
                        synchronized (held) {
                            held.add(s); // held open, never read
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            try {
                // First the connection is up: the deaf peer reads the handshake and one message, no more.
                Msg first = new Msg.Link(1, 1, new Msg.Ping());
                t1.send(2, first);
                await().until(() -> {
                    synchronized (held) {
                        return !held.isEmpty();
                    }
                });
                Socket s;
                synchronized (held) {
                    s = held.get(0);
                }
                s.setSoTimeout(10_000);
                java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
                in.readFully(new byte[4 + PeerCodec.HANDSHAKE_BYTES + 4 + 1 + PeerCodec.toBytes(first).length]);

                Msg big = new Msg.Link(1, 2, new Msg.Request(new byte[64 * 1024]));
                // Kernel buffers and Netty's outbound buffer take some MB first.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    for (int i = 0; i < 64; i++) {
                        t1.send(2, big);
                    }
                    return r1.downs(2) > 0;
                });
            } finally {
                deaf.close();
                acceptor.join(10_000);
                synchronized (held) {
                    for (Socket s : held) {
                        s.close();
                    }
                }
            }
        }
    }

    @Test
    void hostNamesAreResolvedAndAllAddressesCanBeBound() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses("localhost", 2);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        PeerTransport t1 = start(1, all, r1);
        PeerTransport t2 = PeerTransport.start(2, all, "0.0.0.0", CONNECT_TIMEOUT_MS, r2); // quorumListenOnAllIPs
        toClose.add(t2);
        t1.send(2, vote(1));
        t2.send(1, link(1));
        await().until(() -> r2.got(1, vote(1)) && r1.got(2, link(1)));
    }

    @Test
    void closeReleasesPortsAndThreads() throws Exception {
        List<PeerAddress> all = new ArrayList<>(Clients.peerAddresses(2));
        all.set(0, new PeerAddress(71, "127.0.0.1", all.get(0).quorumPort(), all.get(0).electionPort()));
        Recorder r = new Recorder();
        PeerTransport t = PeerTransport.start(71, all, null, CONNECT_TIMEOUT_MS, r);
        try {
            t.send(2, vote(1)); // a failing attempt, with its timers and resolver thread
            await().until(() -> r.downs(2) > 0);
            assertThrows(IllegalArgumentException.class, () -> t.send(71, vote(1)));
            assertThrows(IllegalArgumentException.class, () -> t.send(5, vote(1)));
        } finally {
            t.close();
        }
        t.send(2, vote(2)); // after close: nothing, no exception
        for (int port : new int[] {all.get(0).quorumPort(), all.get(0).electionPort()}) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
        await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.isAlive() && th.getName().startsWith("peer-71-")));
    }

    @Test
    void aTakenPortFailsStartWithTheAddress() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(2);
        try (ServerSocket taken = new ServerSocket(all.get(0).electionPort(), 50, InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class,
                    () -> PeerTransport.start(1, all, null, CONNECT_TIMEOUT_MS, new Recorder()));
            assertTrue(e.getMessage().contains("election port") && e.getMessage().contains(
                    String.valueOf(all.get(0).electionPort())), e.getMessage());
        }
    }
}
