package io.paddock.nemesis;

import io.paddock.nemesis.History.F;
import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The register workload: client processes, each one Apache-client session at a time, reading,
 * syncing then reading, reading with a watch, writing and compare-and-setting (setData with a version)
 * a few znodes, every op recorded in a {@link History}. Some processes talk to one server only, the
 * others list them all and move when their server goes.
 *
 * <p>The watch workload lives here: a WATCH_READ sets a one-shot data watch with a Watcher object of
 * its own, whose events are recorded ({@link History.WatchEvent}). Every answer and every event gets
 * the next number of its session's counter, taken on the Apache client's event thread (which runs
 * both callbacks and watchers), so they are ordered exactly as the client saw them.
 */
final class Workload extends ClientProcesses {
    /** Each process's pause between ops: it sets the load, light enough for the checker's search. */
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final int keys;
    /** Clients whose session was answered SessionExpired: kept open until {@link #closeTold} (see there). */
    private final ConcurrentLinkedQueue<ZooKeeper> told = new ConcurrentLinkedQueue<>();

    /** One process per connect string, numbered from 0. */
    Workload(List<String> connectStrings, int keys, History history, long seed, long origin) {
        super("client", connectStrings, 0, history, seed, origin);
        this.keys = keys;
    }

    static String path(int key) {
        return "/nemesis/r" + key;
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

    /** {@code seq}: the answer's place in its session's event-thread order. */
    private record Reply(Code code, String data, int version, long seq) {
    }

    /** A session and the counter that orders its answers and watch events. */
    private record Session(ZooKeeper zk, AtomicLong seq) {
    }

    @Override
    void run(int process) throws InterruptedException, java.io.IOException {
        // Seeded, so the mix of ops replays; the interleaving with the faults does not, as on any real network.
        Random random = new Random(seed * 31 + process);
        int[] seen = new int[keys];
        Session s = null;
        int written = 0;
        int sessions = 0;
        try {
            while (running()) {
                if (s == null) {
                    s = new Session(connect(process, sessions++), new AtomicLong());
                }
                ZooKeeper zk = s.zk();
                int key = random.nextInt(keys);
                int dice = random.nextInt(100);
                F f = dice < 20 ? F.READ : dice < 35 ? F.SYNC_READ : dice < 45 ? F.WATCH_READ : dice < 70 ? F.WRITE : F.CAS;
                String value = f == F.WRITE || f == F.CAS ? "p" + process + "-" + ++written : null;
                int expected = f == F.CAS ? seen[key] : -1;
                long invokedAt = now();
                Reply r = answer(submit(process, s, f, key, value, expected));
                Op op;
                boolean expired = false;
                if (r != null) {
                    long at = now();
                    Outcome outcome = outcome(r.code());
                    expired = r.code() == Code.SESSIONEXPIRED;
                    if (expired) {
                        history.expired(new History.Expiry(process, zk.getSessionId(), at, "op"));
                    }
                    if (outcome == Outcome.OK) {
                        seen[key] = Math.max(seen[key], r.version());
                    }
                    op = new Op(process, zk.getSessionId(), f, key, expected, value == null ? r.data() : value, invokedAt, at,
                            outcome, r.version(), r.code() == Code.OK ? null : r.code().name(), r.seq());
                } else {
                    // No answer at all: the outcome is unknown, and the session's later views would not be ordered
                    // after this op, so it ends here.
                    op = new Op(process, zk.getSessionId(), f, key, expected, value, invokedAt, now(), Outcome.UNKNOWN, -1,
                            "client timeout");
                }
                history.add(op);
                if (expired) {
                    told.add(zk);
                    s = null;
                } else if (r == null) {
                    closeQuietly(zk);
                    s = null;
                }
                LockSupport.parkNanos(PACE_NANOS);
            }
        } finally {
            if (s != null) {
                closeQuietly(s.zk());
            }
        }
    }

    private CompletableFuture<Reply> submit(int process, Session s, F f, int key, String value, int expected) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        ZooKeeper zk = s.zk();
        String path = path(key);
        switch (f) {
            case READ -> read(s, path, null, reply);
            case SYNC_READ -> zk.sync(path, (rc, p, ctx) -> {
                if (rc == Code.OK.intValue()) {
                    read(s, path, null, reply);
                } else {
                    reply.complete(new Reply(Code.get(rc), null, -1, s.seq().incrementAndGet()));
                }
            }, null);
            case WATCH_READ -> read(s, path, watcher(process, s, key, reply), reply);
            case WRITE, CAS -> zk.setData(path, value.getBytes(StandardCharsets.UTF_8), f == F.CAS ? expected : -1,
                    (rc, p, ctx, stat) -> reply.complete(new Reply(Code.get(rc), null, version(stat), s.seq().incrementAndGet())),
                    null);
            default -> throw new IllegalArgumentException(f.toString());
        }
        return reply;
    }

    /**
     * A Watcher of its own for one registration: it records each event but the None-type state events
     * (which the Apache client hands every registered watcher on a disconnect or expiry), naming the
     * registration by its read's answer, which the event thread ran before any event of this watcher.
     */
    private Watcher watcher(int process, Session s, int key, CompletableFuture<Reply> registered) {
        return event -> {
            if (event.getType() != Watcher.Event.EventType.None) {
                history.add(new History.WatchEvent(process, s.zk().getSessionId(), registered.getNow(new Reply(null, null, -1, -1)).seq(),
                        s.seq().incrementAndGet(), key, event.getType().name(), now()));
            }
        };
    }

    private static void read(Session s, String path, Watcher watcher, CompletableFuture<Reply> reply) {
        s.zk().getData(path, watcher, (rc, p, ctx, data, stat) -> reply.complete(new Reply(Code.get(rc),
                data == null ? null : new String(data, StandardCharsets.UTF_8), version(stat), s.seq().incrementAndGet())),
                null);
    }

    private static int version(Stat stat) {
        return stat == null ? -1 : stat.getVersion();
    }
}
