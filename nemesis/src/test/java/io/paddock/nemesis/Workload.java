package io.paddock.nemesis;

import io.paddock.nemesis.History.F;
import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The register workload: client processes, each one Apache-client session at a time, reading,
 * syncing then reading, writing and compare-and-setting (setData with a version) a few znodes,
 * every op recorded in a {@link History}. Some processes talk to one server only, the others list
 * them all and move when their server goes.
 */
final class Workload implements AutoCloseable {
    static final int SESSION_TIMEOUT_MS = 6_000;
    /** Longer than the client's own give-up time (two thirds of the session timeout) plus a reconnect. */
    private static final long OP_TIMEOUT_MS = 15_000;
    /** Each process's pause between ops: it sets the load, light enough for the checker's search. */
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final List<String> connectStrings;
    private final History history;
    private final int keys;
    private final long seed;
    private final long origin;
    private final List<Thread> threads = new ArrayList<>();
    /** Clients whose session was answered SessionExpired: kept open until {@link #closeTold} (see there). */
    private final ConcurrentLinkedQueue<ZooKeeper> told = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    /** One process per connect string; {@code origin} is the nanoTime the history counts from. */
    Workload(List<String> connectStrings, int keys, History history, long seed, long origin) {
        this.connectStrings = connectStrings;
        this.keys = keys;
        this.history = history;
        this.seed = seed;
        this.origin = origin;
    }

    static String path(int key) {
        return "/nemesis/r" + key;
    }

    /** Where each session creates its ephemeral znode: the session checker reads their owners after healing. */
    static final String SESSIONS = "/nemesis/s";

    void start() {
        for (int p = 0; p < connectStrings.size(); p++) {
            int process = p;
            Thread t = new Thread(() -> run(process), "nemesis-client-" + p);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops the processes; each finishes (or gives up on) the op it is in, within the op timeout. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : threads) {
                t.join(OP_TIMEOUT_MS + 5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the clients whose ops were answered SessionExpired. They stay open until the session checker
     * has looked: a client told Expired while its session lives on would otherwise close that session
     * (and delete its ephemeral), hiding the bug. A client the server really expired is closed already.
     */
    void closeTold() {
        for (ZooKeeper zk; (zk = told.poll()) != null; ) {
            closeQuietly(zk);
        }
    }

    private record Reply(Code code, String data, int version) {
    }

    private void run(int process) {
        // Seeded, so the mix of ops replays; the interleaving with the faults does not, as on any real network.
        Random random = new Random(seed * 31 + process);
        int[] seen = new int[keys];
        ZooKeeper zk = null;
        int written = 0;
        int sessions = 0;
        try {
            while (running) {
                if (zk == null) {
                    zk = connect(process, sessions++);
                }
                int key = random.nextInt(keys);
                int dice = random.nextInt(100);
                F f = dice < 25 ? F.READ : dice < 45 ? F.SYNC_READ : dice < 70 ? F.WRITE : F.CAS;
                String value = f == F.WRITE || f == F.CAS ? "p" + process + "-" + ++written : null;
                int expected = f == F.CAS ? seen[key] : -1;
                long invokedAt = System.nanoTime() - origin;
                CompletableFuture<Reply> reply = submit(zk, f, key, value, expected);
                Op op;
                boolean renew = false;
                boolean expired = false;
                try {
                    Reply r = reply.get(OP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    long at = System.nanoTime() - origin;
                    Outcome outcome = switch (r.code()) {
                        case OK -> Outcome.OK;
                        case CONNECTIONLOSS, OPERATIONTIMEOUT -> Outcome.UNKNOWN;
                        default -> Outcome.FAIL;
                    };
                    expired = r.code() == Code.SESSIONEXPIRED;
                    if (expired) {
                        history.expired(new History.Expiry(process, zk.getSessionId(), at, "op"));
                    }
                    if (outcome == Outcome.OK) {
                        seen[key] = Math.max(seen[key], r.version());
                    }
                    op = new Op(process, zk.getSessionId(), f, key, expected, f == F.READ || f == F.SYNC_READ ? r.data() : value,
                            invokedAt, at, outcome, r.version(), r.code() == Code.OK ? null : r.code().name());
                } catch (TimeoutException e) {
                    // No answer at all: the outcome is unknown, and the session's later views would not be ordered
                    // after this op, so it ends here.
                    op = new Op(process, zk.getSessionId(), f, key, expected, value, invokedAt, System.nanoTime() - origin,
                            Outcome.UNKNOWN, -1, "client timeout");
                    renew = true;
                }
                history.add(op);
                if (expired) {
                    told.add(zk);
                    zk = null;
                } else if (renew) {
                    closeQuietly(zk);
                    zk = null;
                }
                LockSupport.parkNanos(PACE_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.io.IOException e) {
            throw new IllegalStateException("client process " + process, e);
        } finally {
            if (zk != null) {
                closeQuietly(zk);
            }
        }
    }

    /**
     * A new session for {@code process}. Its watcher records the client's Expired state; its first op
     * creates its ephemeral znode, not part of the history (its outcome does not matter: the checker
     * asks the servers which sessions own one).
     */
    private ZooKeeper connect(int process, int n) throws java.io.IOException {
        AtomicReference<ZooKeeper> self = new AtomicReference<>();
        ZooKeeper zk = new ZooKeeper(connectStrings.get(process), SESSION_TIMEOUT_MS, event -> {
            ZooKeeper z = self.get();
            if (event.getState() == Watcher.Event.KeeperState.Expired && z != null) {
                history.expired(new History.Expiry(process, z.getSessionId(), System.nanoTime() - origin, "event"));
            }
        });
        self.set(zk);
        zk.create(SESSIONS + "/p" + process + "-" + n, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL,
                (rc, p, ctx, name) -> { }, null);
        return zk;
    }

    private static CompletableFuture<Reply> submit(ZooKeeper zk, F f, int key, String value, int expected) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        String path = path(key);
        switch (f) {
            case READ -> read(zk, path, reply);
            case SYNC_READ -> zk.sync(path, (rc, p, ctx) -> {
                if (rc == Code.OK.intValue()) {
                    read(zk, path, reply);
                } else {
                    reply.complete(new Reply(Code.get(rc), null, -1));
                }
            }, null);
            case WRITE, CAS -> zk.setData(path, value.getBytes(StandardCharsets.UTF_8), f == F.CAS ? expected : -1,
                    (rc, p, ctx, stat) -> reply.complete(new Reply(Code.get(rc), null, version(stat))), null);
            default -> throw new IllegalArgumentException(f.toString());
        }
        return reply;
    }

    private static void read(ZooKeeper zk, String path, CompletableFuture<Reply> reply) {
        zk.getData(path, false, (rc, p, ctx, data, stat) -> reply.complete(new Reply(Code.get(rc),
                data == null ? null : new String(data, StandardCharsets.UTF_8), version(stat))), null);
    }

    private static int version(Stat stat) {
        return stat == null ? -1 : stat.getVersion();
    }

    private static void closeQuietly(ZooKeeper zk) {
        try {
            // Bounded: a close that cannot reach a server gives up after this long.
            zk.close(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
