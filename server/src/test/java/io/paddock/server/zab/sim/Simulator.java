package io.paddock.server.zab.sim;

import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
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
 * one seeded random source: a seed replays exactly. The {@link Driver} carries out each core's
 * actions, the {@link Faults} break things, and this class is the event loop and the servers'
 * application: it proposes, sends requests and answers them, and checks that the ensemble
 * recovers once the faults stop.
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
    final Random rnd;
    final SimCore.Factory factory;
    final Trace trace;
    final Checker checker;
    final Network net;
    final Driver driver;
    final Faults faults;
    private final PriorityQueue<Scheduled> queue =
            new PriorityQueue<>(Comparator.comparingLong(Scheduled::time).thenComparingLong(Scheduled::seq));
    private final List<SimNode> voters = new ArrayList<>();
    private long seq;
    long steps;
    boolean faultsOn;
    boolean healing;
    private boolean finished;
    long healStart;
    private long nextOp;
    private long nextRequest;
    private long probe;
    private long probeEpoch = -1;

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
        this.driver = new Driver(this);
        this.faults = new Faults(this);
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
                driver.boot(nodes[i]);
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
                    checker.establishedLeaders(), faults.crashes, faults.partitions, driver.sent, trace.hash(),
                    faults.committedAtMinority,
                    healing ? (now - healStart) / TICK : -1);
        } catch (SimulationFailure f) {
            throw f;
        } catch (RuntimeException | AssertionError e) {
            throw failure("exception", "the run threw " + e, e);
        }
    }

    // ---- events ----

    void schedule(long delay, Event e) {
        scheduleAt(now + delay, e);
    }

    void scheduleAt(long time, Event e) {
        queue.add(new Scheduled(time, seq++, e));
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
                faults.restart(n);
            }
        } else if (e instanceof Event.Propose) {
            proposeSomewhere();
            schedule(1 + rnd.nextInt(p.proposeEvery() * 2), e);
        } else if (e instanceof Event.Request) {
            requestSomewhere();
            schedule(1 + rnd.nextInt(p.requestEvery() * 2), e);
        } else if (e instanceof Event.Fault) {
            if (faultsOn) {
                faults.fault();
                schedule(TICK * (1 + rnd.nextInt(p.faultEveryTicks() * 2)), e);
            }
        } else if (e instanceof Event.HealPartition h) {
            if (faultsOn && net.partition == h.partition()) {
                net.heal();
                trace.note(now, "partition healed");
            }
        } else if (e instanceof Event.EndFaults) {
            faults.endFaults();
        } else if (e instanceof Event.MinorityCrash) {
            faults.minorityCrash();
        } else if (e instanceof Event.End) {
            finished = true;
        }
    }

    private void handleForNode(SimNode n, Event.ForNode e) {
        if (e instanceof Event.Tick) {
            driver.step(n, new Input.Tick());
            schedule(TICK, e);
        } else if (e instanceof Event.Arrival a) {
            if (net.gen(a.from(), a.node()) == a.gen() && net.connected(a.from(), a.node())) {
                driver.step(n, new Input.Receive(a.from(), a.msg()));
            }
        } else if (e instanceof Event.FsyncDone f) {
            if (f.gen() != n.fsyncGen) {
                return;
            }
            n.fsyncInFlight = false;
            SimDisk.Slot last = n.disk.fsynced(f.upToWrite());
            if (last != null && last.write() > n.reportFloor && p.variant() != SimParams.Variant.LYING_FSYNC) {
                driver.step(n, new Input.Persisted(last.entry().zxid()));
            }
            driver.startFsync(n);
        } else if (e instanceof Event.LyingPersisted l) {
            driver.step(n, new Input.Persisted(l.zxid()));
        } else if (e instanceof Event.SnapshotDue) {
            // The app's snapshot goes to its own disk too (whatever the core's role is by now).
            long zxid = n.appLastZxid();
            if (zxid > n.disk.snapZxid()) {
                n.disk.writeSnapshot(n.app, n.app.size(), zxid);
            }
            driver.step(n, new Input.SnapshotTaken(zxid, Codec.encodeState(n.app)));
        } else if (e instanceof Event.PeerDown d) {
            driver.step(n, new Input.PeerDown(d.peer()));
        } else if (e instanceof Event.AppReply r) {
            driver.step(n, new Input.SendReply(r.to(), r.link(), Codec.reply(r.request(), n.lastProposed)));
        } else if (e instanceof Event.Compact) {
            driver.compact(n);
            schedule(TICK * (10 + rnd.nextInt(60)), e);
        }
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
        driver.step(n, new Input.Propose(e));
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
        driver.step(n, new Input.SendRequest(Codec.request(id)));
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

    void checkRecovered() {
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

    SimulationFailure failure(String invariant, String detail, Throwable cause) {
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
