package io.paddock.nemesis;

import io.paddock.nemesis.History.LockStep;
import io.paddock.nemesis.History.Outcome;
import io.paddock.nemesis.History.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The lock workload: the standard ZooKeeper lock recipe. A process creates an EPHEMERAL_SEQUENTIAL
 * child of {@link #LOCK}; it holds the lock when its child is the lowest, else it watches its
 * predecessor with exists and looks again on the event or after a bounded wait. While holding, it
 * reads the counter {@link #COUNTER} and increments it with a CAS (setData with the version read),
 * then releases (deletes its child). Any outcome but ok (connection loss, no answer, an error), on
 * any step, abandons the session: the process closes it, which releases its place, and starts a new one.
 *
 * <p>What {@link Checks#lock} makes of it: if the lock is exclusive in the linearized (zxid) order, a
 * holder's CAS is never refused with BadVersion. The holder saw every child below its own gone; the
 * previous holder incremented before releasing (one session's ops apply in order), or its session
 * ended (closed or expired) after any increment it sent, since a closed session's later requests are
 * refused; so the holder's session, whose view never goes back, has seen that increment when it reads
 * the counter, and nobody else writes the counter until it releases. A BadVersion therefore means two
 * live sessions held the lock at once. Every increment acknowledged ok added one version and only the
 * increments of ok or unknown outcome may have, so the counter's final version lies between the number
 * acknowledged and that plus the unknown ones.
 */
final class LockWorkload extends ClientProcesses {
    static final String LOCK = "/nemesis/lock";
    static final String COUNTER = "/nemesis/lockcount";
    /** How long a waiter trusts its watch before it looks again anyway. */
    private static final long RECHECK_MS = 1_000;
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    LockWorkload(List<String> connectStrings, int firstProcess, History history, long seed, long origin) {
        super("lock", connectStrings, firstProcess, history, seed, origin);
    }

    /** An answer: its code, the name a create returned or the children a getChildren did, the stat. */
    private record Reply(Code code, Object value, Stat stat) {
        boolean ok() {
            return code == Code.OK;
        }
    }

    @Override
    void run(int process) throws InterruptedException, IOException {
        takeTurns(process, PACE_NANOS, zk -> cycle(process, zk));
    }

    /** Acquires, increments, releases; false if the session is to be abandoned. */
    private boolean cycle(int process, ZooKeeper zk) throws InterruptedException {
        long at = now();
        CompletableFuture<Reply> created = new CompletableFuture<>();
        zk.create(LOCK + "/l-", ("p" + process).getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL_SEQUENTIAL, (rc, p, ctx, name) -> created.complete(new Reply(Code.get(rc), name, null)),
                null);
        Reply mine = record(process, zk, Step.ACQUIRE, -1, at, answer(created));
        if (mine == null || !mine.ok() || !awaitLowest(zk, ((String) mine.value()).substring(LOCK.length() + 1))) {
            return false;
        }
        CompletableFuture<Reply> read = new CompletableFuture<>();
        zk.getData(COUNTER, false, (rc, p, ctx, data, stat) -> read.complete(new Reply(Code.get(rc), null, stat)), null);
        Reply counter = answer(read);
        if (counter == null || !counter.ok()) {
            return false;
        }
        int expected = counter.stat().getVersion();
        at = now();
        CompletableFuture<Reply> cas = new CompletableFuture<>();
        zk.setData(COUNTER, Integer.toString(expected + 1).getBytes(StandardCharsets.UTF_8), expected,
                (rc, p, ctx, stat) -> cas.complete(new Reply(Code.get(rc), null, stat)), null);
        Reply incremented = record(process, zk, Step.INCREMENT, expected, at, answer(cas));
        if (incremented == null || !incremented.ok()) {
            return false;
        }
        at = now();
        CompletableFuture<Reply> deleted = new CompletableFuture<>();
        zk.delete((String) mine.value(), -1, (rc, p, ctx) -> deleted.complete(new Reply(Code.get(rc), null, null)), null);
        Reply released = record(process, zk, Step.RELEASE, -1, at, answer(deleted));
        return released != null && released.ok();
    }

    /**
     * Waits until {@code mine} is the lowest child: true then; false if it is gone (the session ended),
     * a read fails, or the workload stops.
     */
    private boolean awaitLowest(ZooKeeper zk, String mine) throws InterruptedException {
        while (running()) {
            CompletableFuture<Reply> listed = new CompletableFuture<>();
            zk.getChildren(LOCK, false, (rc, p, ctx, children) -> listed.complete(new Reply(Code.get(rc), children, null)),
                    null);
            Reply r = answer(listed);
            if (r == null || !r.ok()) {
                return false;
            }
            @SuppressWarnings("unchecked")
            List<String> children = new ArrayList<>((List<String>) r.value());
            // Every child is "l-" and a zero-padded sequence number: their names sort as their numbers.
            children.sort(null);
            int place = children.indexOf(mine);
            if (place <= 0) {
                return place == 0;
            }
            CountDownLatch gone = new CountDownLatch(1);
            CompletableFuture<Reply> watched = new CompletableFuture<>();
            zk.exists(LOCK + "/" + children.get(place - 1), event -> gone.countDown(),
                    (rc, p, ctx, stat) -> watched.complete(new Reply(Code.get(rc), null, stat)), null);
            Reply w = answer(watched);
            if (w == null || w.code() != Code.OK && w.code() != Code.NONODE) {
                return false;
            }
            if (w.ok()) {
                // Bounded: a watch lost with a connection is made up for by looking again.
                gone.await(RECHECK_MS, TimeUnit.MILLISECONDS);
            }
        }
        return false;
    }

    /** Records a step with its answer ({@code r}, null if none came) and returns the answer. */
    private Reply record(int process, ZooKeeper zk, Step step, int expected, long invokedAt, Reply r) {
        Outcome outcome = outcome(r == null ? null : r.code());
        history.add(new LockStep(process, zk.getSessionId(), step, expected, invokedAt, now(), outcome,
                r == null || r.stat() == null ? -1 : r.stat().getVersion(),
                r == null ? "client timeout" : r.ok() ? null : r.code().name()));
        return r;
    }
}
