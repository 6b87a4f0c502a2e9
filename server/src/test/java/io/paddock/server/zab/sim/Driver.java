package io.paddock.server.zab.sim;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Each server's driver: feeds the core one input at a time and carries out its actions in order,
 * per the persistence contract (epochs, truncations and snapshots durable at once; appends durable
 * after a simulated fsync, then reported; sends through the simulated network), asking the
 * {@link Checker} about each.
 */
final class Driver {
    private final Simulator sim;
    private final SimParams p;
    private final Random rnd;
    private final Trace trace;
    private final Checker checker;
    private final Network net;
    private final SimNode[] nodes;
    /** Numbers every append across the run: an fsync covers the writes made before it started. */
    private long writes;
    final TreeMap<String, Long> sent = new TreeMap<>();

    Driver(Simulator sim) {
        this.sim = sim;
        this.p = sim.p;
        this.rnd = sim.rnd;
        this.trace = sim.trace;
        this.checker = sim.checker;
        this.net = sim.net;
        this.nodes = sim.nodes;
    }

    void step(SimNode n, Input in) {
        List<Action> actions;
        try {
            actions = n.core.step(in);
        } catch (RuntimeException | AssertionError e) {
            trace.step(sim.now, n, in, List.of());
            throw sim.failure("core-exception", n.name() + " threw " + e + " on " + Fmt.input(in), e);
        }
        after(n, in, actions);
    }

    private void after(SimNode n, Input in, List<Action> coreActions) {
        List<Action> actions = sendsInPeerOrder(coreActions);
        sim.steps++;
        trace.step(sim.now, n, in, actions);
        boolean appended = false;
        for (Action a : actions) {
            appended |= a instanceof Action.Append;
            execute(n, a);
        }
        startFsync(n);
        if (appended && p.variant() == SimParams.Variant.LYING_FSYNC) {
            sim.schedule(0, new Event.LyingPersisted(n.id, n.inc, n.lastAppended));
        }
        if (sim.healing) {
            sim.checkRecovered();
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
            // The contract: what remains of the log after a truncation is durable.
            n.disk.syncAll();
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
            sim.schedule(rnd.nextInt(200), new Event.SnapshotDue(n.id, n.inc));
        } else if (a instanceof Action.RequestReceived r) {
            checker.requestReceived(n, r.from(), r.payload());
            sim.schedule(rnd.nextInt(30), new Event.AppReply(n.id, n.inc, r.from(), r.link(), r.payload()));
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
            sim.fail("contract", "unknown action " + a);
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

    void startFsync(SimNode n) {
        if (n.fsyncInFlight || !n.disk.hasVolatile()) {
            return;
        }
        n.fsyncInFlight = true;
        long delay = 1 + rnd.nextInt(p.fsyncMax());
        if (sim.faultsOn && rnd.nextDouble() < p.fsyncStall()) {
            delay += rnd.nextInt((int) (4 * Simulator.TICK));
        }
        sim.schedule(delay, new Event.FsyncDone(n.id, n.inc, n.fsyncGen, n.disk.lastWrite()));
    }

    private void send(SimNode from, int to, Msg msg) {
        sent.merge(Fmt.kind(msg), 1L, Long::sum);
        SimNode dest = nodes[to];
        if (!dest.alive || !net.connected(from.id, to) || sim.faultsOn && rnd.nextDouble() < p.drop()) {
            return;
        }
        long delay = 1 + rnd.nextInt(p.maxDelay());
        if (sim.faultsOn && rnd.nextDouble() < p.longDelay()) {
            delay += rnd.nextInt((int) (5 * Simulator.TICK));
        }
        boolean reorder = sim.faultsOn && rnd.nextDouble() < p.reorder();
        long at = net.arrival(from.id, to, sim.now, delay, reorder);
        Event.Arrival arrival = new Event.Arrival(from.id, to, dest.inc, net.gen(from.id, to), msg);
        sim.scheduleAt(at, arrival);
        if (sim.faultsOn && rnd.nextDouble() < p.dup()) {
            sim.schedule(1 + rnd.nextInt(p.maxDelay() * 3), arrival);
        }
    }


    void boot(SimNode n) {
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
        n.locals = new HashMap<>();
        n.fsyncInFlight = false;
        n.fsyncGen = 0;
        n.reportFloor = writes;
        n.pausedUntil = 0;
        List<Entry> recent = List.copyOf(log.subList(Math.max(0, log.size() - p.commitLogCount()), log.size()));
        trace.note(sim.now, "start " + n.name() + " from disk: epochs " + n.disk.acceptedEpoch + "/"
                + n.disk.currentEpoch + ", snapshot " + Fmt.z(n.disk.snapZxid()) + ", log " + Fmt.entries(log));
        n.core = sim.factory.create(n.config, n.inc, n.disk.acceptedEpoch, n.disk.currentEpoch, n.disk.snapZxid(),
                n.disk.lastZxid(), recent);
        after(n, null, n.core.start());
        sim.schedule(1 + rnd.nextInt((int) Simulator.TICK), new Event.Tick(n.id, n.inc));
        if (p.compaction()) {
            sim.schedule(Simulator.TICK * (10 + rnd.nextInt(60)), new Event.Compact(n.id, n.inc));
        }
    }

    void compact(SimNode n) {
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
        trace.note(sim.now, n.name() + " snapshots its state at " + Fmt.z(upTo) + " and drops the log up to it");
    }
}
