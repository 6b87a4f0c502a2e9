package io.paddock.server.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A storm of new connections, as a fleet reconnecting at once makes one: plain sockets, each
 * opened, sent a ConnectRequest for a new session, and closed once the server has answered or
 * closed it. Paced from a small thread pool toward a target rate; the real rate is measured.
 */
public final class ConnectionStorm {
    /**
     * What the storm saw.
     *
     * @param attempts connections opened and sent a ConnectRequest
     * @param accepted those the server answered (a session was created)
     * @param refused those the server closed without an answer
     * @param other those that could not connect or got no answer in time
     * @param seconds how long the storm lasted
     */
    public record Result(int attempts, int accepted, int refused, int other, double seconds) {
        public double rate() {
            return attempts / seconds;
        }

        /**
         * Checks that the storm was shed: a storm worth the name, most attempts refused, no more
         * admitted than the throttle allows, and every refusal counted in the servers'
         * connection_rejected (which may also count a few refusals of the test's own clients).
         */
        public void assertShed(int admittedAtMost, long rejectedCounted) {
            assertTrue(attempts >= 3000, "a storm worth the name: " + this);
            assertTrue(refused > attempts / 2, "most attempts are refused: " + this);
            assertTrue(accepted <= admittedAtMost, "no more than the throttle allows is admitted: " + this);
            assertTrue(rejectedCounted >= refused && rejectedCounted <= attempts + 50,
                    "connection_rejected " + rejectedCounted + " counts every refused attempt: " + this);
        }

        @Override
        public String toString() {
            return String.format("%d connection attempts in %.2f s (%.0f per second): %d refused, %d accepted, %d other",
                    attempts, seconds, rate(), refused, accepted, other);
        }
    }

    /**
     * zoo.cfg lines for a throttled server: 50 tokens, one back every 20 ms (50 new sessions a
     * second), random early drop adjusted every 100 ms; maxClientCnxns off, so that every refusal
     * is the throttle's.
     */
    public static final Map<String, String> THROTTLED = Map.of(
            "maxClientCnxns", "0",
            "connection_throttle_tokens", "50",
            "connection_throttle_fill_time", "20",
            "connection_throttle_fill_count", "1",
            "connection_throttle_freeze_time", "100",
            "connection_throttle_drop_increase", "0.1",
            "connection_throttle_drop_decrease", "0.5");

    /**
     * What {@link #THROTTLED} lets a server admit during a storm: the bucket, its refill over the
     * storm's real length, and a few for the test's own sessions.
     */
    public static int mostAdmitted(Result storm) {
        return 50 + (int) Math.ceil(50 * storm.seconds()) + 10;
    }

    private ConnectionStorm() {
    }

    /** A ConnectRequest frame for a new session (timeout 4 s, so the sessions the storm does get expire soon). */
    private static byte[] connectRequest() {
        ByteBuffer b = ByteBuffer.allocate(4 + 45);
        b.putInt(45).putInt(0).putLong(0).putInt(4000).putLong(0).putInt(16).put(new byte[16]).put((byte) 0);
        return b.array();
    }

    /**
     * Opens connections to {@code targets} (in turn) at up to {@code perSecond} for {@code length},
     * from {@code threads} threads.
     */
    public static Result run(List<InetSocketAddress> targets, int perSecond, Duration length, int threads)
            throws Exception {
        byte[] hello = connectRequest();
        AtomicLong ticket = new AtomicLong();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long spacing = TimeUnit.SECONDS.toNanos(1) / perSecond;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (true) {
                        long n = ticket.getAndIncrement();
                        long due = start + n * spacing;
                        if (due >= end) {
                            return null;
                        }
                        // Pacing toward the target rate: this attempt's slot, not a wait for a condition.
                        long ahead = due - System.nanoTime();
                        if (ahead > 0) {
                            LockSupport.parkNanos(ahead);
                        }
                        switch (attempt(targets.get((int) (n % targets.size())), hello)) {
                            case ACCEPTED -> accepted.incrementAndGet();
                            case REFUSED -> refused.incrementAndGet();
                            case OTHER -> other.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : workers) {
                f.get(length.toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(accepted.get() + refused.get() + other.get(), accepted.get(), refused.get(), other.get(),
                seconds);
    }

    private enum Outcome { ACCEPTED, REFUSED, OTHER }

    private static Outcome attempt(InetSocketAddress target, byte[] hello) {
        try (Socket s = new Socket()) {
            // Closed with a reset: thousands of sockets must not sit in TIME_WAIT on this side.
            s.setSoLinger(true, 0);
            s.connect(target, 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(hello);
            out.flush();
            InputStream in = s.getInputStream();
            return in.read() == -1 ? Outcome.REFUSED : Outcome.ACCEPTED;
        } catch (SocketTimeoutException e) {
            return Outcome.OTHER;
        } catch (SocketException e) {
            // A reset after our request: the server closed it without reading the rest.
            return String.valueOf(e.getMessage()).contains("reset") ? Outcome.REFUSED : Outcome.OTHER;
        } catch (IOException e) {
            return Outcome.OTHER;
        }
    }

    /** The {@code mntr} figures of a server, by name (without the {@code zk_} prefix). */
    public static Map<String, String> mntr(String host, int port) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("mntr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String text = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    m.put(line.substring(0, tab).replaceFirst("^zk_", ""), line.substring(tab + 1).trim());
                }
            }
        }
        return m;
    }
}
