package io.paddock.server.zab.sim;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.ZabConfig;
import io.paddock.server.zab.Zxid;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs zab cores over a simulated network and disks in virtual time, one event at a time, with
 * one seeded random source: a seed replays exactly. It is also each server's driver (it carries
 * out the core's actions per the persistence contract) and its application (it proposes, sends
 * requests, answers them, takes snapshots), and it asks the {@link Checker} after each action.
 */
public final class Simulator {
    /** Virtual time units per tick. */
    static final long TICK = 100;
    /** How long a crashed voter's last messages may still be on their way. */
    static final long GRACE = 40 * TICK;
    private static final int MAX_UNCOMMITTED = 50;
    private static final int TRACE_LINES = 200;
    private static final long STEP_BUDGET = 2_000_000;

    private record Scheduled(long time, long seq, Event event) {
    }

    /** What a finished run did. */
    record Result(long seed, String topology, long steps, long ticks, int committed, int leaders, int crashes,
                  int partitions, TreeMap<String, Long> sent, long traceHash, int committedAtMinority,
                  long recoveryTicks) {
    }

    final SimParams p;
    final SimNode[] nodes;
    long now;
    private final Random rnd;
    private final SimCore.Factory factory;
    private final Trace trace;
    private final Checker checker;
    private final Network net;
    private final PriorityQueue<Scheduled> queue =
            new PriorityQueue<>(Comparator.comparingLong(Scheduled::time).thenComparingLong(Scheduled::seq));
    private final List<SimNode> voters = new ArrayList<>();
    private long seq;
    private long steps;
    private boolean faultsOn;
    private boolean healing;
    private boolean finished;
    private long healStart;
    private long writes;
    private long nextOp;
    private long nextRequest;
    private long probe;
    private long probeEpoch = -1;
    private int crashes;
    private int partitions;
    private int committedAtMinority = -1;
    private final TreeMap<String, Long> sent = new TreeMap<>();

    Simulator(SimParams p, SimCore.Factory factory, boolean hashTrace, PrintStream verbose) {
        this.p = p;
        this.rnd = new Random(p.seed());
        this.factory = factory;
        this.trace = new Trace(TRACE_LINES, hashTrace, verbose);
        this.checker = new Checker(this);
        int n = p.voters() + p.observers();
        this.net = new Network(n);
        this.nodes = new SimNode[n + 1];
        Set<Long> voterIds = new TreeSet<>();
        Set<Long> observerIds = new TreeSet<>();
        for (long i = 1; i <= n; i++) {
            (i <= p.voters() ? voterIds : observerIds).add(i);
        }
        for (int i = 1; i <= n; i++) {
            ZabConfig config = new ZabConfig(i, voterIds, observerIds, 10, 5, 1, 2, 1, p.commitLogCount());
            nodes[i] = new SimNode(i, i <= p.voters(), config);
            if (nodes[i].voter) {
                voters.add(nodes[i]);
            }
        }
    }

    static Result run(SimParams p) {
        return new Simulator(p, SimCore.real(), false, null).run();
    }

    List<SimNode> voters() {
        return voters;
    }

    Result run() {
        try {
            for (int i = 1; i < nodes.length; i++) {
                boot(nodes[i]);
            }
            schedule(1 + rnd.nextInt(p.proposeEvery() * 2), new Event.Propose());
            schedule(1 + rnd.nextInt(p.requestEvery() * 2), new Event.Request());
            if (p.scenario() == SimParams.Scenario.FAULTS_THEN_HEAL) {
                faultsOn = true;
                schedule(TICK * (1 + rnd.nextInt(p.faultEveryTicks() * 2)), new Event.Fault());
                schedule(TICK * p.faultTicks(), new Event.EndFaults());
            } else {
                schedule(TICK * p.faultTicks(), new Event.MinorityCrash());
                schedule(TICK * (p.faultTicks() + p.livenessTicks()), new Event.End());
            }
            while (!finished) {
                Scheduled s = queue.poll();
                now = s.time;
                if (healing && now > healStart + p.livenessTicks() * TICK) {
                    fail("liveness", "no recovery within " + p.livenessTicks() + " ticks after the faults stopped");
                }
                if (steps > STEP_BUDGET) {
                    fail("liveness", "more than " + STEP_BUDGET + " steps: a message storm?");
                }
                handle(s);
            }
            return new Result(p.seed(), p.topology(), steps, now / TICK, checker.committedSize(),
                    checker.establishedLeaders(), crashes, partitions, sent, trace.hash(), committedAtMinority,
                    healing ? (now - healStart) / TICK : -1);
        } catch (SimulationFailure f) {
            throw f;
        } catch (RuntimeException | AssertionError e) {
            throw failure("exception", "the run threw " + e, e);
        }
    }

    // ---- events ----

    private void schedule(long delay, Event e) {
        queue.add(new Scheduled(now + delay, seq++, e));
    }

    private void handle(Scheduled s) {
        Event e = s.event;
        if (e instanceof Event.ForNode f) {
            SimNode n = nodes[f.node()];
            if (!n.alive || n.inc != f.inc()) {
                return;
            }
            if (n.pausedUntil > now) {
                // Keep the original sequence number: what was queued first still goes first (FIFO channels).
                queue.add(new Scheduled(n.pausedUntil, s.seq, e));
                return;
            }
            handleForNode(n, f);
        } else if (e instanceof Event.Restart r) {
            SimNode n = nodes[r.node()];
            if (!n.alive && n.inc == r.inc()) {
                restart(n);
            }
        } else if (e instanceof Event.Propose) {
            proposeSomewhere();
            schedule(1 + rnd.nextInt(p.proposeEvery() * 2), e);
        } else if (e instanceof Event.Request) {
            requestSomewhere();
            schedule(1 + rnd.nextInt(p.requestEvery() * 2), e);
        } else if (e instanceof Event.Fault) {
            if (faultsOn) {
                fault();
                schedule(TICK * (1 + rnd.nextInt(p.faultEveryTicks() * 2)), e);
            }
        } else if (e instanceof Event.HealPartition h) {
            if (faultsOn && net.partition == h.partition()) {
                net.heal();
                trace.note(now, "partition healed");
            }
        } else if (e instanceof Event.EndFaults) {
            endFaults();
        } else if (e instanceof Event.MinorityCrash) {
            minorityCrash();
        } else if (e instanceof Event.End) {
            finished = true;
        }
    }

    private void handleForNode(SimNode n, Event.ForNode e) {
        if (e instanceof Event.Tick) {
            step(n, new Input.Tick());
            schedule(TICK, e);
        } else if (e instanceof Event.Arrival a) {
            if (net.gen(a.from(), a.node()) == a.gen() && net.connected(a.from(), a.node())) {
                step(n, new Input.Receive(a.from(), a.msg()));
            }
        } else if (e instanceof Event.FsyncDone f) {
            if (f.gen() != n.fsyncGen) {
                return;
            }
            n.fsyncInFlight = false;
            SimDisk.Slot last = n.disk.fsynced(f.upToWrite());
            if (last != null && last.write() > n.reportFloor && p.variant() != SimParams.Variant.LYING_FSYNC) {
                step(n, new Input.Persisted(last.entry().zxid()));
            }
            startFsync(n);
        } else if (e instanceof Event.LyingPersisted l) {
            step(n, new Input.Persisted(l.zxid()));
        } else if (e instanceof Event.SnapshotDue) {
            // The app's snapshot goes to its own disk too (whatever the core's role is by now).
            long zxid = n.appLastZxid();
            if (zxid > n.disk.snapZxid()) {
                n.disk.writeSnapshot(n.app, n.app.size(), zxid);
            }
            step(n, new Input.SnapshotTaken(zxid, Codec.encodeState(n.app)));
        } else if (e instanceof Event.PeerDown d) {
            step(n, new Input.PeerDown(d.peer()));
        } else if (e instanceof Event.AppReply r) {
            step(n, new Input.SendReply(r.to(), Codec.reply(r.request(), n.lastProposed)));
        } else if (e instanceof Event.Compact) {
            compact(n);
            schedule(TICK * (10 + rnd.nextInt(60)), e);
        }
    }

    // ---- the driver ----

    private void step(SimNode n, Input in) {
        List<Action> actions;
        try {
            actions = n.core.step(in);
        } catch (RuntimeException | AssertionError e) {
            trace.step(now, n, in, List.of());
            throw failure("core-exception", n.name() + " threw " + e + " on " + Fmt.input(in), e);
        }
        after(n, in, actions);
    }

    private void after(SimNode n, Input in, List<Action> coreActions) {
        List<Action> actions = sendsInPeerOrder(coreActions);
        steps++;
        trace.step(now, n, in, actions);
        boolean appended = false;
        for (Action a : actions) {
            appended |= a instanceof Action.Append;
            execute(n, a);
        }
        startFsync(n);
        if (appended && p.variant() == SimParams.Variant.LYING_FSYNC) {
            schedule(0, new Event.LyingPersisted(n.id, n.inc, n.lastAppended));
        }
        if (healing) {
            checkRecovered();
        }
    }

    /**
     * Consecutive sends go out in peer order (each peer's own in the core's order). Sends to
     * different peers are independent, so any order is a valid driver's; a fixed one keeps a seed's
     * run the same in every JVM even where the core iterates a {@code Set.copyOf} set, whose order
     * the JDK randomizes per JVM.
     */
    private static List<Action> sendsInPeerOrder(List<Action> actions) {
        List<Action> out = new ArrayList<>(actions);
        int i = 0;
        while (i < out.size()) {
            int j = i;
            while (j < out.size() && out.get(j) instanceof Action.Send) {
                j++;
            }
            if (j - i > 1) {
                out.subList(i, j).sort(Comparator.comparingLong(a -> ((Action.Send) a).to()));
            }
            i = Math.max(j, i + 1);
        }
        return out;
    }

    private void execute(SimNode n, Action a) {
        if (a instanceof Action.PersistEpochs pe) {
            checker.persistEpochs(n, pe);
            if (pe.acceptedEpoch() != -1) {
                n.disk.acceptedEpoch = pe.acceptedEpoch();
            }
            if (pe.currentEpoch() != -1) {
                n.disk.currentEpoch = pe.currentEpoch();
            }
        } else if (a instanceof Action.TruncateLog t) {
            int firstRemoved = n.disk.size();
            List<Entry> removed = n.disk.truncate(t.zxid());
            firstRemoved -= removed.size();
            checker.truncate(n, t.zxid(), removed, firstRemoved);
            while (n.app.size() > n.disk.size()) {
                n.app.remove(n.app.size() - 1);
            }
            n.verified = Math.min(n.verified, n.app.size());
            settlePendingFsync(n);
        } else if (a instanceof Action.InstallSnapshot s) {
            List<Entry> entries = Codec.decodeState(s.data());
            checker.installSnapshot(n, s.zxid(), entries);
            n.disk.installSnapshot(s.zxid(), entries);
            settlePendingFsync(n);
            n.app = new ArrayList<>(entries);
            n.verified = 0;
            n.delivered = Math.min(n.delivered, s.zxid());
        } else if (a instanceof Action.Append ap) {
            checker.append(n, ap.entry());
            n.disk.append(ap.entry(), ++writes);
            n.lastAppended = ap.entry().zxid();
        } else if (a instanceof Action.Send s) {
            checker.send(n, s.to(), s.msg());
            send(n, (int) s.to(), s.msg());
        } else if (a instanceof Action.Deliver d) {
            for (Entry e : d.entries()) {
                checker.deliver(n, e);
                n.app.add(e);
                n.delivered = e.zxid();
            }
            checker.delivered(n);
        } else if (a instanceof Action.TakeSnapshot) {
            schedule(rnd.nextInt(200), new Event.SnapshotDue(n.id, n.inc));
        } else if (a instanceof Action.RequestReceived r) {
            checker.requestReceived(n, r.from(), r.payload());
            schedule(rnd.nextInt(30), new Event.AppReply(n.id, n.inc, r.from(), r.payload()));
        } else if (a instanceof Action.ReplyReceived r) {
            checker.replyReceived(n, r.payload());
        } else if (a instanceof Action.RoleChanged rc) {
            checker.roleChanged(n, rc);
            n.role = rc.state();
            n.leader = rc.leader();
            n.epoch = rc.epoch();
            n.serving = rc.serving();
            if (rc.state() == ServerState.LEADING && rc.serving()) {
                n.leadEpoch = rc.epoch();
                n.counter = 0;
                n.lastProposed = n.disk.lastZxid();
            } else {
                n.leadEpoch = -1;
            }
        } else {
            fail("contract", "unknown action " + a);
        }
    }

    /**
     * Before a truncation or a snapshot install, the driver completes the fsync in flight (the
     * truncation's own fsync covers it) or forgets it; either way no report covers older appends.
     */
    private void settlePendingFsync(SimNode n) {
        n.fsyncGen++;
        n.fsyncInFlight = false;
        n.reportFloor = writes;
        if (rnd.nextBoolean()) {
            n.disk.syncAll();
        }
    }

    private void startFsync(SimNode n) {
        if (n.fsyncInFlight || !n.disk.hasVolatile()) {
            return;
        }
        n.fsyncInFlight = true;
        long delay = 1 + rnd.nextInt(p.fsyncMax());
        if (faultsOn && rnd.nextDouble() < p.fsyncStall()) {
            delay += rnd.nextInt((int) (4 * TICK));
        }
        schedule(delay, new Event.FsyncDone(n.id, n.inc, n.fsyncGen, n.disk.lastWrite()));
    }

    private void send(SimNode from, int to, Msg msg) {
        sent.merge(Fmt.kind(msg), 1L, Long::sum);
        SimNode dest = nodes[to];
        if (!dest.alive || !net.connected(from.id, to) || faultsOn && rnd.nextDouble() < p.drop()) {
            return;
        }
        long delay = 1 + rnd.nextInt(p.maxDelay());
        if (faultsOn && rnd.nextDouble() < p.longDelay()) {
            delay += rnd.nextInt((int) (5 * TICK));
        }
        boolean reorder = faultsOn && rnd.nextDouble() < p.reorder();
        long at = net.arrival(from.id, to, now, delay, reorder);
        Event.Arrival arrival = new Event.Arrival(from.id, to, dest.inc, net.gen(from.id, to), msg);
        queue.add(new Scheduled(at, seq++, arrival));
        if (faultsOn && rnd.nextDouble() < p.dup()) {
            schedule(1 + rnd.nextInt(p.maxDelay() * 3), arrival);
        }
    }

    // ---- crashes and restarts ----

    private void boot(SimNode n) {
        n.alive = true;
        List<Entry> log = n.disk.logAfterSnapshot();
        n.app = new ArrayList<>(n.disk.snapEntries());
        n.app.addAll(log);
        n.verified = 0;
        n.delivered = 0;
        n.role = ServerState.LOOKING;
        n.leader = -1;
        n.epoch = -1;
        n.serving = false;
        n.leadEpoch = -1;
        n.locals = new java.util.HashMap<>();
        n.fsyncInFlight = false;
        n.fsyncGen = 0;
        n.reportFloor = writes;
        n.pausedUntil = 0;
        List<Entry> recent = List.copyOf(log.subList(Math.max(0, log.size() - p.commitLogCount()), log.size()));
        trace.note(now, "start " + n.name() + " from disk: epochs " + n.disk.acceptedEpoch + "/"
                + n.disk.currentEpoch + ", snapshot " + Fmt.z(n.disk.snapZxid()) + ", log " + Fmt.entries(log));
        n.core = factory.create(n.config, n.inc, n.disk.acceptedEpoch, n.disk.currentEpoch, n.disk.snapZxid(),
                n.disk.lastZxid(), recent);
        after(n, null, n.core.start());
        schedule(1 + rnd.nextInt((int) TICK), new Event.Tick(n.id, n.inc));
        if (p.compaction()) {
            schedule(TICK * (10 + rnd.nextInt(60)), new Event.Compact(n.id, n.inc));
        }
    }

    private void restart(SimNode n) {
        boot(n);
        checker.committedOnQuorum("restarting " + n.name());
    }

    private void crash(SimNode n, boolean restart) {
        String was = n.name();
        int[] lostKept = n.disk.crash(rnd, p.partialFsync());
        n.alive = false;
        n.inc++;
        n.crashedAt = now;
        n.core = null;
        n.app = new ArrayList<>();
        crashes++;
        trace.note(now, "crash " + was + ": lost " + lostKept[0] + " unsynced entries, " + lostKept[1]
                + " made it to disk; log now up to " + Fmt.z(n.disk.lastZxid()));
        for (int i = 1; i < nodes.length; i++) {
            if (i != n.id) {
                net.reset(i, n.id);
                if (rnd.nextBoolean()) {
                    net.reset(n.id, i);
                }
                peerDownLater(nodes[i], n.id);
            }
        }
        checker.committedOnQuorum("crashing " + was);
        if (restart) {
            schedule(TICK * (2 + rnd.nextInt(60)), new Event.Restart(n.id, n.inc));
        }
    }

    private void peerDownLater(SimNode n, long peer) {
        if (n.alive) {
            schedule(1 + rnd.nextInt(50), new Event.PeerDown(n.id, n.inc, peer));
        }
    }

    private void compact(SimNode n) {
        // A periodic snapshot of the committed state (what this incarnation delivered), as a real server takes.
        long upTo = n.delivered;
        if (upTo <= n.disk.snapZxid()) {
            return;
        }
        int count = 0;
        while (count < n.app.size() && n.app.get(count).zxid() <= upTo) {
            count++;
        }
        n.disk.writeSnapshot(n.app, count, upTo);
        trace.note(now, n.name() + " snapshots its state at " + Fmt.z(upTo) + " and drops the log up to it");
    }

    // ---- faults ----

    private void fault() {
        List<Runnable> kinds = new ArrayList<>();
        List<SimNode> up = new ArrayList<>();
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i].alive) {
                up.add(nodes[i]);
            }
        }
        int down = nodes.length - 1 - up.size();
        if (p.crashes() && down < p.maxDown() && !up.isEmpty()) {
            kinds.add(() -> crash(up.get(rnd.nextInt(up.size())), true));
        }
        if (p.powerLoss() && up.size() > 1) {
            kinds.add(() -> {
                trace.note(now, "power loss");
                for (SimNode n : up) {
                    if (rnd.nextInt(4) != 0) {
                        crash(n, true);
                    }
                }
            });
        }
        if (p.partitions() && !net.partitioned()) {
            kinds.add(this::partition);
        }
        if (p.spuriousPeerDown() && up.size() > 1) {
            kinds.add(() -> {
                SimNode a = up.get(rnd.nextInt(up.size()));
                SimNode b = up.get(rnd.nextInt(up.size()));
                if (a != b) {
                    trace.note(now, "connection " + a.id + "-" + b.id + " reset");
                    net.reset(a.id, b.id);
                    net.reset(b.id, a.id);
                    peerDownLater(a, b.id);
                    if (rnd.nextBoolean()) {
                        peerDownLater(b, a.id);
                    }
                }
            });
        }
        if (p.pauses() && !up.isEmpty()) {
            kinds.add(() -> {
                SimNode n = up.get(rnd.nextInt(up.size()));
                n.pausedUntil = now + 1 + rnd.nextInt((int) (12 * TICK));
                trace.note(now, n.name() + " paused until " + n.pausedUntil);
            });
        }
        if (!kinds.isEmpty()) {
            kinds.get(rnd.nextInt(kinds.size())).run();
        }
    }

    private void partition() {
        int n = nodes.length - 1;
        int[] groups = new int[n + 1];
        int parts = 2 + rnd.nextInt(2);
        do {
            for (int i = 1; i <= n; i++) {
                groups[i] = rnd.nextInt(parts);
            }
        } while (allSame(groups));
        for (int a = 1; a <= n; a++) {
            for (int b = 1; b <= n; b++) {
                if (a != b && groups[a] != groups[b] && net.connected(a, b)) {
                    net.reset(a, b);
                    peerDownLater(nodes[a], b);
                }
            }
        }
        net.setGroups(groups);
        partitions++;
        trace.note(now, "partition " + net.describe());
        schedule(TICK * (5 + rnd.nextInt(100)), new Event.HealPartition(net.partition));
    }

    private static boolean allSame(int[] groups) {
        for (int i = 2; i < groups.length; i++) {
            if (groups[i] != groups[1]) {
                return false;
            }
        }
        return true;
    }

    private void endFaults() {
        faultsOn = false;
        healing = true;
        healStart = now;
        net.heal();
        trace.note(now, "faults stop: network healed, every server up");
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            n.pausedUntil = Math.min(n.pausedUntil, now);
            if (!n.alive) {
                restart(n);
            }
        }
    }

    private void minorityCrash() {
        List<SimNode> victims = new ArrayList<>(voters);
        victims.remove(rnd.nextInt(victims.size()));
        for (SimNode v : victims) {
            if (v.alive) {
                crash(v, false);
            }
        }
        committedAtMinority = checker.committedSize();
    }

    // ---- the application ----

    private void proposeSomewhere() {
        List<SimNode> leaders = new ArrayList<>();
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i].servingLeader() && nodes[i].pausedUntil <= now) {
                leaders.add(nodes[i]);
            }
        }
        if (leaders.isEmpty()) {
            return;
        }
        SimNode n = leaders.get(rnd.nextInt(leaders.size()));
        long done = Zxid.epoch(n.delivered) == n.leadEpoch ? Zxid.counter(n.delivered) : 0;
        if (n.counter - done >= MAX_UNCOMMITTED) {
            return;
        }
        long zxid = Zxid.make(n.leadEpoch, ++n.counter);
        Object local = "op " + nextOp;
        Entry e = new Entry(zxid, Codec.op(nextOp++, rnd.nextInt(24)), local);
        checker.propose(n, e);
        n.locals.put(zxid, local);
        n.lastProposed = zxid;
        if (healing && probe == 0 && recoveredLeader() == n) {
            probe = zxid;
            probeEpoch = n.leadEpoch;
        }
        step(n, new Input.Propose(e));
    }

    private void requestSomewhere() {
        List<SimNode> learners = new ArrayList<>();
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i].servingLearner() && nodes[i].pausedUntil <= now) {
                learners.add(nodes[i]);
            }
        }
        if (learners.isEmpty()) {
            return;
        }
        SimNode n = learners.get(rnd.nextInt(learners.size()));
        long id = nextRequest++;
        checker.requestSent(n, id);
        step(n, new Input.SendRequest(Codec.request(id)));
    }

    // ---- liveness ----

    /** The leader every live server follows, synced; null while there is none. */
    private SimNode recoveredLeader() {
        SimNode leader = null;
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i].servingLeader()) {
                if (leader != null) {
                    return null;
                }
                leader = nodes[i];
            }
        }
        if (leader == null) {
            return null;
        }
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            if (!n.alive || !n.serving || n.epoch != leader.leadEpoch || n.leader != leader.id) {
                return null;
            }
        }
        return leader;
    }

    private void checkRecovered() {
        if (probe == 0) {
            return;
        }
        SimNode leader = recoveredLeader();
        if (leader == null || leader.leadEpoch != probeEpoch) {
            if (leader == null && !anyServingLeaderIn(probeEpoch)) {
                probe = 0;
            }
            return;
        }
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i].delivered < probe) {
                return;
            }
        }
        trace.note(now, "recovered: every server synced to " + leader.name() + " in epoch " + probeEpoch
                + " delivered " + Fmt.z(probe));
        finished = true;
    }

    private boolean anyServingLeaderIn(long epoch) {
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i].servingLeader() && nodes[i].leadEpoch == epoch) {
                return true;
            }
        }
        return false;
    }

    // ---- failures ----

    void fail(String invariant, String detail) {
        throw failure(invariant, detail, null);
    }

    private SimulationFailure failure(String invariant, String detail, Throwable cause) {
        StringBuilder b = new StringBuilder();
        b.append("zab simulation: invariant '").append(invariant).append("' broken: ").append(detail).append('\n');
        b.append("seed ").append(p.seed()).append(", ").append(p.topology()).append(", at t=").append(now)
                .append(" (tick ").append(now / TICK).append("), step ").append(steps)
                .append(healing ? ", recovering since tick " + healStart / TICK : "").append('\n');
        b.append("faults: ").append(p.faults()).append('\n');
        b.append("replay: ").append(replayCommand(p.seed())).append('\n');
        b.append("servers:\n");
        for (int i = 1; i < nodes.length; i++) {
            b.append("  ").append(nodes[i].describe()).append('\n');
        }
        b.append("  committed history: ").append(checker.committedSize()).append(" txns up to ")
                .append(Fmt.z(checker.committedLastZxid())).append("; network ").append(net.describe()).append('\n');
        b.append("last ").append(Math.min(TRACE_LINES, trace.count())).append(" events:\n").append(trace.tail());
        return new SimulationFailure(invariant, p.seed(), trace.hash(), b.toString(), cause);
    }

    static String replayCommand(long seed) {
        return "flock /tmp/paddock-mvn.lock mvn -B -o -q test -pl server -Dtest='ZabSimulationTest#seeds'"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dzab.sim.seed=" + seed;
    }
}
