package io.paddock.server.differential;

import io.paddock.server.differential.Operation.Checkpoint;
import io.paddock.server.differential.Operation.ClientOp;
import io.paddock.server.differential.Operation.Reopen;
import io.paddock.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.zookeeper.KeeperException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one seeded operation sequence against two servers, client by client in lock step: each
 * operation runs on server A, then on server B through the session in the same slot, and the
 * two outcomes are compared at once. The first difference fails the run with a report naming
 * the seed, the operation index, both outcomes and the operations before it.
 */
final class DifferentialRun implements AutoCloseable {
    static final int CLIENTS = 4;
    private static final Duration EVENT_WAIT = Duration.ofSeconds(5);

    private final Trace.RunInfo info;
    private final Side a;
    private final Side b;
    private final KeySpace keys;
    private final OpGenerator generator;
    private final TraceComparator comparator = new TraceComparator();
    private final Trace trace = new Trace();
    private int nextSession;
    private int index;

    DifferentialRun(long seed, int ops, TestServer serverA, TestServer serverB) {
        this.info = new Trace.RunInfo(seed, ops, serverA.kind(), serverB.kind());
        this.a = new Side(serverA, CLIENTS);
        this.b = new Side(serverB, CLIENTS);
        this.keys = new KeySpace(new Random(seed));
        this.generator = new OpGenerator(keys, CLIENTS);
    }

    /** Runs the whole sequence; returns the trace, or throws AssertionError at the first difference. */
    Trace run() throws Exception {
        for (int slot = 0; slot < CLIENTS; slot++) {
            perform(generator.reopen(slot));
        }
        perform(generator.setup());
        for (int i = 0; i < info.ops(); i++) {
            perform(generator.next());
        }
        perform(new Checkpoint());
        return trace;
    }

    /** The steps recorded so far (all of them once {@link #run()} has returned or failed). */
    Trace trace() {
        return trace;
    }

    private void perform(Operation op) throws Exception {
        if (op instanceof Reopen r && a.client(r.client()) != null) {
            // The closing session's events must be compared before they are lost.
            perform(new Checkpoint());
        }
        Step step;
        if (op instanceof ClientOp c) {
            step = new Step(index, op.describe(), execute(a, c, keys), execute(b, c, Observations.NONE));
        } else if (op instanceof Reopen r) {
            step = reopen(r);
        } else {
            step = checkpoint(op);
        }
        index++;
        trace.add(step);
        Optional<String> reason = comparator.compare(step.a(), step.b());
        if (reason.isPresent()) {
            throw new AssertionError(trace.report(info, new TraceComparator.Mismatch(step, reason.get())));
        }
    }

    private static Outcome execute(Side side, ClientOp op, Observations seen) throws InterruptedException {
        OpContext ctx = new OpContext(side, side.client(op.client()), seen);
        try {
            op.action().run(ctx);
        } catch (KeeperException e) {
            if (e.code() == KeeperException.Code.NONODE && e.getPath() != null) {
                ctx.gone(e.getPath());
            }
            ctx.add("err " + e.code());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Rejected by the client library before reaching the server (bad path, bad flags...).
            ctx.add("client-rejected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return ctx.outcome();
    }

    private Step reopen(Reopen r) throws InterruptedException {
        int session = nextSession++;
        return new Step(index, r.describe(), reopen(a, r, session), reopen(b, r, session));
    }

    private static Outcome reopen(Side side, Reopen r, int session) throws InterruptedException {
        side.close(r.client());
        try {
            side.open(r.client(), session, r.credentials());
            return Outcome.of("session s" + session + " open");
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Reported as a difference (with context) rather than as a bare exception.
            return Outcome.of("session s" + session + " failed to open: " + e);
        }
    }

    /**
     * Compares the watch events of every client. A sync per session first flushes the events
     * already sent (its callback runs on the event thread after them); then, in case one server
     * delivers late, waits a bounded time for the event counts to agree before comparing.
     */
    private Step checkpoint(Operation op) {
        List<String> barrierA = barrier(a);
        List<String> barrierB = barrier(b);
        try {
            Awaitility.await("event counts agree").pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .atMost(EVENT_WAIT).until(this::eventCountsAgree);
        } catch (ConditionTimeoutException e) {
            // Compared below; the report shows which events are missing.
        }
        return new Step(index, op.describe(), events(a, barrierA), events(b, barrierB));
    }

    private boolean eventCountsAgree() {
        for (int slot = 0; slot < CLIENTS; slot++) {
            if (a.client(slot).events().count() != b.client(slot).events().count()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> barrier(Side side) {
        List<String> failures = new ArrayList<>();
        for (int slot = 0; slot < side.slots(); slot++) {
            try {
                side.client(slot).barrier();
            } catch (Exception e) {
                failures.add("c" + slot + " sync failed: " + e);
            }
        }
        return failures;
    }

    private static Outcome events(Side side, List<String> barrierFailures) {
        StringBuilder sb = new StringBuilder();
        for (int slot = 0; slot < side.slots(); slot++) {
            sb.append(slot == 0 ? "" : "; ").append('c').append(slot).append('=')
                    .append(side.client(slot).events().drain());
        }
        barrierFailures.forEach(f -> sb.append("; ").append(f));
        return Outcome.of(sb.toString());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            a.close();
        } finally {
            b.close();
        }
    }
}
