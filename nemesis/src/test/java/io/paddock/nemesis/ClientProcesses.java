package io.paddock.nemesis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

/**
 * Client processes of one workload, a thread each, one Apache-client session at a time: process
 * {@code firstProcess + i} uses connect string {@code i} (one server, or all of them). Numbers are
 * unique across the workloads of a run, so expiries and the session ephemerals name their process.
 */
abstract class ClientProcesses implements AutoCloseable {
    static final int SESSION_TIMEOUT_MS = 6_000;
    /** Longer than the client's own give-up time (two thirds of the session timeout) plus a reconnect. */
    static final long OP_TIMEOUT_MS = 15_000;
    /** Where each session creates its ephemeral znode: the session checker reads their owners after healing. */
    static final String SESSIONS = "/nemesis/s";

    private final List<String> connectStrings;
    private final int firstProcess;
    private final String name;
    private final List<Thread> threads = new ArrayList<>();
    final History history;
    final long seed;
    /** The nanoTime the history counts from. */
    final long origin;
    private volatile boolean running = true;

    ClientProcesses(String name, List<String> connectStrings, int firstProcess, History history, long seed, long origin) {
        this.name = name;
        this.connectStrings = connectStrings;
        this.firstProcess = firstProcess;
        this.history = history;
        this.seed = seed;
        this.origin = origin;
    }

    /** What process {@code process} does until {@link #running()} turns false. */
    abstract void run(int process) throws InterruptedException, IOException;

    void start() {
        for (int i = 0; i < connectStrings.size(); i++) {
            int process = firstProcess + i;
            Thread t = new Thread(() -> {
                try {
                    run(process);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new IllegalStateException(name + " process " + process, e);
                }
            }, "nemesis-" + name + "-" + process);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    boolean running() {
        return running;
    }

    /** One turn of a process on its session: false ends the session (it is closed and another made). */
    interface Turn {
        boolean take(ZooKeeper zk) throws InterruptedException, IOException;
    }

    /**
     * Takes turns until the workload stops, one session at a time, {@code paceNanos} apart: a new
     * session whenever there is none, the session closed whenever a turn ends it.
     */
    void takeTurns(int process, long paceNanos, Turn turn) throws InterruptedException, IOException {
        ZooKeeper zk = null;
        int sessions = 0;
        try {
            while (running()) {
                if (zk == null) {
                    zk = connect(process, sessions++);
                }
                if (!turn.take(zk)) {
                    closeQuietly(zk);
                    zk = null;
                }
                LockSupport.parkNanos(paceNanos);
            }
        } finally {
            if (zk != null) {
                closeQuietly(zk);
            }
        }
    }

    long now() {
        return System.nanoTime() - origin;
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
     * A new session for {@code process} (its {@code n}th). Its watcher records the client's Expired state;
     * its first op creates its ephemeral znode, not part of the history (its outcome does not matter: the
     * checker asks the servers which sessions own one).
     */
    ZooKeeper connect(int process, int n) throws IOException {
        AtomicReference<ZooKeeper> self = new AtomicReference<>();
        ZooKeeper zk = new ZooKeeper(connectStrings.get(process - firstProcess), SESSION_TIMEOUT_MS, event -> {
            ZooKeeper z = self.get();
            if (event.getState() == Watcher.Event.KeeperState.Expired && z != null) {
                history.expired(new History.Expiry(process, z.getSessionId(), now(), "event"));
            }
        });
        self.set(zk);
        zk.create(SESSIONS + "/p" + process + "-" + n, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL,
                (rc, p, ctx, created) -> { }, null);
        return zk;
    }

    /** The answer, or null if none came within the op timeout (the outcome is then unknown). */
    static <T> T answer(CompletableFuture<T> reply) throws InterruptedException {
        try {
            return reply.get(OP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a callback failed", e.getCause());
        }
    }

    /**
     * What an answer says happened: ok; unknown on connection loss or an operation timeout (the request
     * may have been applied), or no answer at all ({@code code} null); failed on any other error.
     */
    static History.Outcome outcome(Code code) {
        if (code == null) {
            return History.Outcome.UNKNOWN;
        }
        return switch (code) {
            case OK -> History.Outcome.OK;
            case CONNECTIONLOSS, OPERATIONTIMEOUT -> History.Outcome.UNKNOWN;
            default -> History.Outcome.FAIL;
        };
    }

    static void closeQuietly(ZooKeeper zk) {
        try {
            // Bounded: a close that cannot reach a server gives up after this long.
            zk.close(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
