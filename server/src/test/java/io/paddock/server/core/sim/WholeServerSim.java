package io.paddock.server.core.sim;

import io.paddock.server.core.Clock;
import io.paddock.server.core.CoreEvent;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ZabConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Complete servers and ZooKeeper-like clients in one thread, over a seeded network, disk and
 * clock, in the manner of FoundationDB's and TigerBeetle's simulators: every server is the real
 * {@link io.paddock.server.core.CoreStep} over the real zab core, with a log that loses its
 * unsynced tail when the process is killed. A run sets up a few registers, lets the clients read
 * and watch them and their children, write, compare-and-set, create and delete children, create
 * sequential children and send multis, create, delete and watch ephemerals, while servers are
 * partitioned, killed and restarted, and paused (longer than a session timeout now and then),
 * heals everything, and then checks what clients are promised: replies in request order, views
 * that never go back and watches that fire once (as they arrive), every member's ephemerals
 * those of the log after each txn it applies, every ephemeral gone exactly at its session's close
 * (as they are applied: {@link EphemeralHistory}), the writes linearizable (the converged tree a
 * last read of them), every watch event announcing the change after its watch before the session
 * could see that change, a silent client's session expiring on time and taking its ephemerals
 * with it, and every member converged on the same tree. The same seed replays exactly.
 */
final class WholeServerSim {
    static final int TICK_TIME_MS = 200;
    /** The zab driver's tick, as the server's (QuorumSettings.TICK_MS). */
    private static final int ZAB_TICK_MS = 50;
    private static final int TRACE_LINES = 400;

    /**
     * Deliberately broken simulations, to show that the checkers catch what they are for: a
     * connection that delivers a flush's frames in reverse order; an fsync that reports durable
     * what it did not write (lost with the process); a connection that sends a flush's watch events
     * after the replies flushed with them, one that drops every third watch event, and one that
     * sends every watch event twice; and a member (s1) whose close of a session keeps the
     * session's ephemerals.
     */
    enum Variant { NONE, REORDERED_REPLIES, LYING_FSYNC, LATE_WATCH_EVENTS, LOST_WATCH_EVENTS, DOUBLED_WATCH_EVENTS,
        KEPT_EPHEMERALS }

    /** One run's shape, drawn from its seed. */
    record Params(long seed, int voters, int observers, int clients, int keys, int sessionTimeoutMs, long faultMs,
                  double faultRate, Variant variant) {
        static Params forSeed(long seed) {
            Random r = new Random(seed * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL);
            int voters = r.nextInt(4) == 0 ? 5 : 3;
            int observers = r.nextInt(3) == 0 ? 0 : 1;
            return new Params(seed, voters, observers, 2 + r.nextInt(5), 2 + r.nextInt(3),
                    1200 + 400 * r.nextInt(8), 2000 + r.nextInt(6000), 0.3 + r.nextDouble() * 1.5, Variant.NONE);
        }

        Params with(Variant v) {
            return new Params(seed, voters, observers, clients, keys, sessionTimeoutMs, faultMs, faultRate, v);
        }

        @Override
        public String toString() {
            return voters + " voters, " + observers + " observers, " + clients + " clients, " + keys
                    + " registers, session timeout " + sessionTimeoutMs + " ms, " + faultMs + " ms of faults ("
                    + String.format("%.1f", faultRate) + "/s)" + (variant == Variant.NONE ? "" : ", broken: " + variant);
        }
    }

    /** A broken promise, with the seed that shows it and the trace that led to it. */
    static final class Failure extends RuntimeException {
        final long seed;

        Failure(long seed, String message) {
            super(message);
            this.seed = seed;
        }
    }

    private record Event(long at, long seq, Member owner, Runnable action) {
    }

    final Params params;
    private final Random rnd;
    private final boolean verbose;
    private final PriorityQueue<Event> events = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;
    private long now;
    private final List<Member> members = new ArrayList<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final Network network = new Network();
    private final RegisterHistory history;
    private final EphemeralHistory ephemerals = new EphemeralHistory(this);
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final StringBuilder fullTrace;
    private boolean setupDone;
    private boolean clientsStopped;
    /** When a request of each session last reached a server, and when each session's close was first applied. */
    private final java.util.Map<Long, Long> lastSignOfLife = new java.util.HashMap<>();
    private final java.util.Map<Long, Long> closedAt = new java.util.HashMap<>();
    /** The client that falls silent once everything has healed, its session, and since when. */
    private SimClient frozen;
    private long frozenSession;
    /** The ephemerals the silent client knew its session owned when it fell silent. */
    private Set<String> frozenEphemerals = Set.of();
    private long frozenAt;
    private boolean roleChangedAfterFreeze;
    /** A new leader gives every session a full timeout from its start. */
    private long lastLeaderStart;
    private long faultsEndAt = Long.MAX_VALUE;
    private final Clock clock = new Clock() {
        @Override
        public long wallMs() {
            return 1_700_000_000_000L + now;
        }

        @Override
        public long monotonicMs() {
            return 1_000_000L + now;
        }
    };

    WholeServerSim(Params params, boolean verbose) {
        this.params = params;
        this.rnd = new Random(params.seed());
        this.verbose = verbose;
        this.fullTrace = verbose ? new StringBuilder() : null;
        this.history = new RegisterHistory(params.keys());
    }

    static String register(int key) {
        return "/r" + key;
    }

    static String replayCommand(long seed) {
        return "mvn -pl protocol,server test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=WholeServerSimulationTest#seeds"
                + " -Dsim.seed=" + seed;
    }

    // ---------------------------------------------------------------- what the parts use

    long now() {
        return now;
    }

    /** Whether the clients have stopped making requests (pings go on). */
    boolean clientsStopped() {
        return clientsStopped;
    }

    Clock clock() {
        return clock;
    }

    Random random() {
        return rnd;
    }

    Network network() {
        return network;
    }

    RegisterHistory history() {
        return history;
    }

    List<Member> members() {
        return members;
    }

    EphemeralHistory ephemerals() {
        return ephemerals;
    }

    /** Member {@code m} applied a committed txn: its ephemerals must be the log's. */
    void applied(Member m, io.paddock.server.replication.Proposal p) {
        String broken = ephemerals.applied(m, p.header(), p.txn(), m.step.stateMachine());
        if (broken != null) {
            fail(broken);
        }
    }

    /** Runs {@code action} for {@code member} at {@code at}: dropped if it is down, held while it is paused. */
    void at(long at, Member member, Runnable action) {
        events.add(new Event(Math.max(at, now), seq++, member, action));
    }

    void after(long delayMs, Member member, Runnable action) {
        at(now + delayMs, member, action);
    }

    void afterClient(long delayMs, Runnable action) {
        events.add(new Event(now + delayMs, seq++, null, action));
    }

    long fsyncDelayMs() {
        return 1 + rnd.nextInt(4) + (rnd.nextInt(50) == 0 ? 20 + rnd.nextInt(80) : 0);
    }

    private long netDelayMs() {
        return 1 + rnd.nextInt(3) + (rnd.nextInt(40) == 0 ? 10 + rnd.nextInt(40) : 0);
    }

    void signOfLife(long sessionId) {
        lastSignOfLife.put(sessionId, now);
    }

    /** A member changed role (the expiry bound holds only under one leader, counted from its start). */
    void roleChanged(boolean nowServingLeader) {
        roleChangedAfterFreeze |= frozen != null && !closedAt.containsKey(frozenSession);
        if (nowServingLeader) {
            lastLeaderStart = now;
        }
    }

    /** Whether some member has applied the close of {@code sessionId}. */
    boolean closeApplied(long sessionId) {
        return closedAt.containsKey(sessionId);
    }

    void sessionClosed(long sessionId) {
        if (sessionId == frozenSession && !closedAt.containsKey(sessionId)) {
            trace(this, "the silent session's close is applied");
        }
        closedAt.putIfAbsent(sessionId, now);
    }

    void trace(Object who, String what) {
        String line = String.format("%6d %-4s %s", now, who instanceof Member m ? "s" + m.id
                : who instanceof SimClient c ? "c" + c.id : "sim", what);
        if (fullTrace != null) {
            fullTrace.append(line).append('\n');
        }
        trace.addLast(line);
        if (trace.size() > TRACE_LINES) {
            trace.removeFirst();
        }
    }

    void fail(String what) {
        StringBuilder b = new StringBuilder("seed " + params.seed() + " (" + params + "): " + what + "\n");
        b.append("replay: ").append(replayCommand(params.seed())).append('\n');
        b.append("members:\n");
        for (Member m : members) {
            b.append("  ").append(m.describe()).append('\n');
        }
        b.append("last ").append(trace.size()).append(" trace lines:\n");
        for (String line : trace) {
            b.append(line).append('\n');
        }
        throw new Failure(params.seed(), b.toString());
    }

    /** The whole trace of a verbose run. */
    String fullTrace() {
        return fullTrace == null ? "" : fullTrace.toString();
    }

    // ---------------------------------------------------------------- the run

    /** Runs the seed to its end; throws {@link Failure} when a promise broke. Returns a one-line summary. */
    String run() {
        int n = params.voters() + params.observers();
        Set<Long> voters = new TreeSet<>();
        Set<Long> observers = new TreeSet<>();
        for (long i = 1; i <= n; i++) {
            (i <= params.voters() ? voters : observers).add(i);
        }
        for (int i = 1; i <= n; i++) {
            int syncTicks = 5 * TICK_TIME_MS / ZAB_TICK_MS;
            members.add(new Member(this, i, new ZabConfig(i, voters, observers, 10 * TICK_TIME_MS / ZAB_TICK_MS,
                    syncTicks, Math.max(1, TICK_TIME_MS / 2 / ZAB_TICK_MS), 4, 2, 5 + rnd.nextInt(40))));
        }
        for (Member m : members) {
            m.boot();
            scheduleTicks(m);
        }
        SimClient setup = new SimClient(this, 0, params.sessionTimeoutMs(), params.keys());
        clients.add(setup);
        setup.startSetup();
        long setupDeadline = 60_000;
        long end = Long.MAX_VALUE;
        while (!events.isEmpty()) {
            Event e = events.poll();
            now = e.at();
            if (!setupDone && now > setupDeadline) {
                fail("the registers were not created within " + setupDeadline + " ms");
            }
            if (e.owner() != null) {
                Member m = e.owner();
                if (!m.alive) {
                    continue;
                }
                if (m.paused() || !m.held.isEmpty()) {
                    // A stopped process reads nothing: what reaches it waits, in order, until it runs again.
                    m.held.add(e.action());
                    scheduleResume(m, m.pausedUntil);
                    continue;
                }
            }
            try {
                e.action().run();
            } catch (Failure f) {
                throw f;
            } catch (RuntimeException | AssertionError x) {
                fail("an exception escaped: " + x + "\n" + stack(x));
            }
            if (setupDone && end == Long.MAX_VALUE && now >= faultsEndAt) {
                end = endPhase();
            }
            if (now >= end) {
                break;
            }
        }
        return finish();
    }

    private static String stack(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement el : t.getStackTrace()) {
            b.append("    at ").append(el).append('\n');
            if (b.length() > 3000) {
                break;
            }
        }
        return b.toString();
    }

    private void scheduleResume(Member m, long at) {
        if (m.resumeAt > now && m.resumeAt <= at) {
            return;
        }
        m.resumeAt = Math.max(at, now);
        events.add(new Event(m.resumeAt, seq++, null, () -> resume(m)));
    }

    /** A paused server runs again: first everything that reached it meanwhile, in arrival order. */
    private void resume(Member m) {
        if (now < m.resumeAt) {
            return;
        }
        m.resumeAt = 0;
        if (!m.alive) {
            m.held.clear();
            return;
        }
        if (m.paused()) {
            scheduleResume(m, m.pausedUntil);
            return;
        }
        // On SIGCONT the timers that came due fire at once, racing what arrived meanwhile: a leader
        // may expire its sessions before it learns that the others moved on (behaviour 4 of issue 13).
        boolean ticksFirst = rnd.nextBoolean();
        if (ticksFirst) {
            overdueTicks(m);
        }
        while (!m.held.isEmpty() && m.alive && !m.paused()) {
            m.held.poll().run();
        }
        if (!ticksFirst) {
            overdueTicks(m);
        }
    }

    /** The ticks a paused server missed, once each, in a seeded order. */
    private void overdueTicks(Member m) {
        List<Runnable> due = new ArrayList<>();
        if (m.missedZabTick) {
            due.add(m::zabTick);
        }
        if (m.missedCoreTick) {
            due.add(m::coreTick);
        }
        m.missedZabTick = false;
        m.missedCoreTick = false;
        java.util.Collections.shuffle(due, rnd);
        for (Runnable tick : due) {
            if (m.alive && !m.paused()) {
                tick.run();
            }
        }
    }

    private void scheduleTicks(Member m) {
        tickLoop(m, ZAB_TICK_MS, m::zabTick, () -> m.missedZabTick = true);
        tickLoop(m, TICK_TIME_MS, m::coreTick, () -> m.missedCoreTick = true);
    }

    /**
     * A tick of {@code m} every {@code periodMs} of its life. A paused server's ticks wait, as its
     * threads do: the missed one fires when it resumes.
     */
    private void tickLoop(Member m, int periodMs, Runnable tick, Runnable missed) {
        events.add(new Event(now + periodMs, seq++, null, () -> {
            if (m.alive && !m.paused()) {
                tick.run();
            } else if (m.alive) {
                missed.run();
                scheduleResume(m, m.pausedUntil);
            }
            tickLoop(m, periodMs, tick, missed);
        }));
    }

    /** The registers exist: the clients start, and so do the faults. */
    void setupDone() {
        if (setupDone) {
            return;
        }
        setupDone = true;
        trace(this, "registers created; " + params.clients() + " clients start");
        for (int i = 1; i <= params.clients(); i++) {
            SimClient c = new SimClient(this, i, params.sessionTimeoutMs(), params.keys());
            clients.add(c);
            c.start();
        }
        faultsEndAt = now + params.faultMs();
        scheduleFault();
        afterClient((long) (rnd.nextDouble() * params.faultMs()), () -> moveSession(true));
    }

    /**
     * A second handle re-attaches a busy client's session on another server; the first handle then
     * writes once more on its old connection, which must be refused as moved (SimClient checks it).
     * Done once amid the faults (a deposed leader that has not noticed must not accept the
     * re-attach: seed 243 before leaders confirmed re-attaches with a barrier) and once everything
     * has healed (then with every server serving).
     */
    private void moveSession(boolean duringFaults) {
        if (!duringFaults && !settled()) {
            afterClient(50, () -> moveSession(false));
            return;
        }
        List<SimClient> movable = new ArrayList<>();
        for (SimClient c : clients) {
            if (c.movable()) {
                movable.add(c);
            }
        }
        if (movable.isEmpty()) {
            afterClient(100, () -> moveSession(duringFaults));
            return;
        }
        SimClient first = movable.get(rnd.nextInt(movable.size()));
        SimClient second = SimClient.secondHandle(this, clients.size(), first, params.keys());
        trace(first, "a second handle c" + second.id + " takes session " + Long.toHexString(first.sessionId())
                + " to another server");
        clients.add(second);
        second.start();
    }

    // ---------------------------------------------------------------- faults

    private final Set<Integer> isolated = new HashSet<>();

    private void scheduleFault() {
        long gap = (long) (1000 / params.faultRate() * (0.2 + rnd.nextDouble() * 1.6));
        afterClient(gap, () -> {
            if (now >= faultsEndAt) {
                return;
            }
            fault();
            scheduleFault();
        });
    }

    private void fault() {
        Member m = members.get(rnd.nextInt(members.size()));
        if (rnd.nextInt(3) == 0) {
            // Most damage is done to the leader.
            for (Member x : members) {
                if (x.alive && x.serving && x.role == io.paddock.server.zab.ServerState.LEADING) {
                    m = x;
                }
            }
        }
        Member target = m;
        switch (rnd.nextInt(4)) {
            case 0 -> {
                if (!target.alive) {
                    return;
                }
                long downMs = 100 + rnd.nextInt(2000);
                trace(this, "kill -9 s" + target.id + " for " + downMs + " ms");
                kill(target);
                afterClient(downMs, () -> restart(target));
            }
            case 1 -> {
                if (!target.alive || target.paused()) {
                    return;
                }
                long pauseMs = 200 + rnd.nextInt(params.sessionTimeoutMs() * 2);
                trace(this, "kill -STOP s" + target.id + " for " + pauseMs + " ms");
                target.pausedUntil = now + pauseMs;
                if (target.role == io.paddock.server.zab.ServerState.LEADING && rnd.nextBoolean()) {
                    // The leader and one follower together: on resuming, they still make a quorum.
                    for (Member f : members) {
                        if (f.alive && !f.paused() && f.role == io.paddock.server.zab.ServerState.FOLLOWING) {
                            trace(this, "kill -STOP s" + f.id + " too, for as long");
                            f.pausedUntil = target.pausedUntil;
                            break;
                        }
                    }
                }
            }
            default -> {
                long cutMs = 200 + rnd.nextInt(3000);
                trace(this, "isolate s" + target.id + " from the other servers for " + cutMs + " ms");
                isolated.add(target.id);
                afterClient(cutMs, () -> {
                    trace(this, "s" + target.id + " rejoins the network");
                    isolated.remove(target.id);
                });
            }
        }
    }

    private void kill(Member m) {
        m.crash();
        network.serverDied(m);
        for (Member other : members) {
            if (other != m) {
                after(netDelayMs(), other, () -> other.peerDown(m.id));
            }
        }
    }

    private void restart(Member m) {
        if (m.alive) {
            return;
        }
        trace(this, "restart s" + m.id);
        m.boot();
    }

    /** Faults over: every server back and reachable; the clients write a while longer, then stop. */
    private long endPhase() {
        trace(this, "faults end: everything heals");
        isolated.clear();
        for (Member m : members) {
            m.pausedUntil = 0;
            if (!m.alive) {
                m.boot();
            } else if (!m.held.isEmpty() || m.missedZabTick || m.missedCoreTick) {
                scheduleResume(m, now);
            }
        }
        long writeUntil = now + 2000;
        afterClient(200 + rnd.nextInt(1000), () -> moveSession(false));
        afterClient(2000, () -> {
            trace(this, "the clients stop");
            clientsStopped = true;
            freeze();
        });
        return writeUntil + 8000;
    }

    /**
     * Every member serves under one leader in one epoch. A member that merely serves may still
     * follow a leader that was deposed while both were paused: its clients' signs of life then
     * reach no quorum, and their sessions rightly expire on the new leader's clock (seed 3919).
     */
    private boolean settled() {
        Member first = members.get(0);
        return members.stream().allMatch(m -> m.alive && m.serving && m.leader == first.leader
                && m.epoch == first.epoch);
    }

    /**
     * One client falls silent with its connection open, owning an ephemeral: its session must
     * expire, on time, wherever it was, and take its ephemerals with it.
     */
    private void freeze() {
        List<SimClient> live = new ArrayList<>();
        for (SimClient c : clients) {
            if (c.id != 0 && c.freezable() && c.sessionId() != 0 && !c.ownEphemerals().isEmpty()) {
                live.add(c);
            }
        }
        if (live.isEmpty() || !settled()) {
            // Every client between connections or yet to own an ephemeral, or a member still catching
            // up: try again a little later.
            afterClient(50, this::freeze);
            return;
        }
        SimClient c = live.get(rnd.nextInt(live.size()));
        frozen = c;
        frozenSession = c.sessionId();
        frozenAt = now;
        frozenEphemerals = c.ownEphemerals();
        c.silent = true;
        trace(c, "falls silent, its connection open (session " + Long.toHexString(frozenSession) + ", owning "
                + frozenEphemerals + ")");
    }

    /**
     * The silent client's session expired no earlier than its timeout after the last request of it
     * reached a server (or it re-attached, or the leader started), and no later than two ticks past that (a learner's report, the leader's check)
     * and a commit: the ensemble is healthy by then.
     */
    private void checkExpiry() {
        if (frozen == null) {
            fail("no client fell silent");
        }
        Long closed = closedAt.get(frozenSession);
        long last = Math.max(lastLeaderStart, lastSignOfLife.getOrDefault(frozenSession, frozenAt));
        long timeout = frozen.timeoutMs();
        if (closed == null) {
            fail("c" + frozen.id + " fell silent at " + frozenAt + " (last request at " + last + ") but its session "
                    + Long.toHexString(frozenSession) + " never expired (timeout " + timeout + " ms)");
        }
        long after = closed - last;
        // Late by at most: a learner's report (each tick), the leader's expiry check (each tick), and
        // a commit (the simulation's slowest fsync and network round); unless the ensemble changed
        // its leader meanwhile, which restarts every session's clock.
        long latest = roleChangedAfterFreeze ? Long.MAX_VALUE : timeout + 2L * TICK_TIME_MS + 250;
        if (after < timeout || after > latest) {
            fail("c" + frozen.id + "'s session " + Long.toHexString(frozenSession) + " expired " + after
                    + " ms after its last request reached a server (at " + last + ", closed at " + closed
                    + "); its timeout is " + timeout + " ms");
        }
        String kept = ephemerals.wentWithClose(frozenSession, frozenEphemerals);
        if (kept != null) {
            fail(kept);
        }
    }

    // ---------------------------------------------------------------- the end

    private String finish() {
        // Every member serving, all at the same zxid, with the same tree.
        Member first = members.get(0);
        for (Member m : members) {
            if (!m.alive || !m.serving) {
                fail("s" + m.id + " is not serving 8 s after everything healed");
            }
        }
        String reference = dump(first);
        for (Member m : members) {
            String d = dump(m);
            if (!d.equals(reference)) {
                fail("s" + m.id + " diverged from s" + first.id + ":\n s" + first.id + ": " + reference + "\n s" + m.id
                        + ": " + d);
            }
        }
        for (SimClient c : clients) {
            if (!c.quiet()) {
                fail("client " + c.state() + " still waits for answers 8 s after everything healed");
            }
        }
        checkExpiry();
        for (Member m : members) {
            String kept = ephemerals.converged(m, m.step.stateMachine());
            if (kept != null) {
                fail(kept);
            }
        }
        DataTree tree = first.step.stateMachine().tree();
        for (int k = 0; k < params.keys(); k++) {
            history.observe(k, observe(tree, k), now);
        }
        String violation = history.check();
        if (violation != null) {
            fail(violation);
        }
        WatchHistory.Changes changes = new WatchHistory.Changes(first.committed());
        int events = 0;
        for (SimClient c : clients) {
            String broken = c.watches.check(changes, c.live());
            if (broken != null) {
                fail(broken);
            }
            events += c.watches.events();
        }
        return "seed " + params.seed() + ": " + history.size() + " writes checked, " + events + " watch events, "
                + ephemerals.closesWithEphemerals() + " ephemerals gone with their session, " + seq + " events, zxid " + Long.toHexString(first.step.stateMachine().lastZxid());
    }

    /** Register {@code key} as the converged tree holds it, in the terms of the linearizability check. */
    private RegisterHistory.State observe(DataTree tree, int key) {
        Node node = tree.get(register(key));
        int children = 0;
        java.util.BitSet sequential = new java.util.BitSet();
        for (String name : node.childNames()) {
            int named = RegisterHistory.CHILDREN.indexOf(name);
            if (named >= 0) {
                children |= 1 << named;
            } else if (name.startsWith(SimClient.SEQUENTIAL)) {
                sequential.set(Integer.parseInt(name.substring(SimClient.SEQUENTIAL.length())));
            } else {
                fail(register(key) + " has a child nobody created: " + name);
            }
        }
        io.paddock.protocol.Stat stat = node.stat(false);
        return new RegisterHistory.State(stat.version(), children, (stat.cversion() + stat.numChildren()) / 2,
                sequential);
    }

    /** The registers as a member holds them: path, data, version and zxids. */
    private String dump(Member m) {
        DataTree tree = m.step.stateMachine().tree();
        StringBuilder b = new StringBuilder("zxid " + Long.toHexString(m.step.stateMachine().lastZxid()));
        for (int k = 0; k < params.keys(); k++) {
            Node node = tree.get(register(k));
            b.append(' ').append(register(k)).append('=');
            if (node == null) {
                b.append("none");
            } else {
                b.append(new String(node.data(), java.nio.charset.StandardCharsets.UTF_8)).append(" v")
                        .append(node.version()).append(" m").append(Long.toHexString(node.mzxid()))
                        .append(" cv").append(node.stat(false).cversion()).append(' ')
                        .append(new TreeSet<>(node.childNames()));
            }
        }
        Node eph = tree.get(EphemeralHistory.PARENT);
        b.append(' ').append(EphemeralHistory.PARENT).append('=').append(eph == null ? "none" : new TreeSet<>(eph.childNames()));
        b.append(" nodes ").append(tree.nodeCount()).append(" sessions ")
                .append(m.step.stateMachine().sessions().all().size());
        return b.toString();
    }

    // ---------------------------------------------------------------- the network

    /** Links between servers and between clients and servers: in order per link, with delays, and cuttable. */
    final class Network {
        private final long[][] lastAt = new long[16][16];
        private final List<SimConnection> open = new ArrayList<>();

        private boolean cut(int a, int b) {
            return isolated.contains(a) != isolated.contains(b);
        }

        void send(Member from, int to, Msg msg) {
            Member target = members.get(to - 1);
            if (!target.alive || cut(from.id, to)) {
                return;
            }
            long at = Math.max(now + netDelayMs(), lastAt[from.id][to]);
            lastAt[from.id][to] = at;
            long fromInc = from.incarnation;
            long toInc = target.incarnation;
            at(at, target, () -> {
                if (from.incarnation == fromInc && from.alive && target.incarnation == toInc && !cut(from.id, to)) {
                    target.receive(from.id, msg);
                }
            });
        }

        void toServer(SimConnection c, Runnable deliver) {
            if (c.closed) {
                return;
            }
            if (!open.contains(c)) {
                open.add(c);
            }
            c.toServerAt = Math.max(now + netDelayMs(), c.toServerAt);
            at(c.toServerAt, c.server, () -> {
                if (!c.closed && c.server.incarnation == c.serverIncarnation) {
                    deliver.run();
                }
            });
        }

        void toClient(SimConnection c, SimConnection.Frame f) {
            if (c.closed) {
                return;
            }
            c.toClientAt = Math.max(now + netDelayMs(), c.toClientAt);
            afterClient(c.toClientAt - now, () -> c.client.receive(c, f));
        }

        /** The server closed the connection: the client learns it after the frames already sent. */
        void closeFromServer(SimConnection c) {
            if (c.closed) {
                return;
            }
            c.closed = true;
            open.remove(c);
            c.toClientAt = Math.max(now + netDelayMs(), c.toClientAt);
            afterClient(c.toClientAt - now, () -> c.client.lost(c));
            Member server = c.server;
            after(0, server, () -> {
                if (server.incarnation == c.serverIncarnation) {
                    server.handle(new CoreEvent.Disconnected(c));
                }
            });
        }

        /** The client closed the connection: the server learns it a little later. */
        void closeFromClient(SimConnection c) {
            if (c.closed) {
                return;
            }
            c.closed = true;
            open.remove(c);
            Member server = c.server;
            after(netDelayMs(), server, () -> {
                if (server.incarnation == c.serverIncarnation) {
                    server.handle(new CoreEvent.Disconnected(c));
                }
            });
        }

        /** A killed server's connections break: each client learns it soon. */
        void serverDied(Member m) {
            for (SimConnection c : List.copyOf(open)) {
                if (c.server == m) {
                    c.closed = true;
                    open.remove(c);
                    afterClient(netDelayMs(), () -> c.client.lost(c));
                }
            }
        }
    }
}
