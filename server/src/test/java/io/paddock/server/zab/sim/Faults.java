package io.paddock.server.zab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults of the fault phase, each seed's own mix: crashes (losing the unsynced log tail) and
 * restarts, power losses, partitions, connection resets and process pauses; then the end of
 * faults, when every server comes back and the network heals.
 */
final class Faults {
    private final Simulator sim;
    private final SimParams p;
    private final Random rnd;
    private final Trace trace;
    private final Checker checker;
    private final Network net;
    private final SimNode[] nodes;
    int crashes;
    int partitions;
    int committedAtMinority = -1;

    Faults(Simulator sim) {
        this.sim = sim;
        this.p = sim.p;
        this.rnd = sim.rnd;
        this.trace = sim.trace;
        this.checker = sim.checker;
        this.net = sim.net;
        this.nodes = sim.nodes;
    }

    void fault() {
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
                trace.note(sim.now, "power loss");
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
                    trace.note(sim.now, "connection " + a.id + "-" + b.id + " reset");
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
                n.pausedUntil = sim.now + 1 + rnd.nextInt((int) (12 * Simulator.TICK));
                trace.note(sim.now, n.name() + " paused until " + n.pausedUntil);
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
        trace.note(sim.now, "partition " + net.describe());
        sim.schedule(Simulator.TICK * (5 + rnd.nextInt(100)), new Event.HealPartition(net.partition));
    }

    private static boolean allSame(int[] groups) {
        for (int i = 2; i < groups.length; i++) {
            if (groups[i] != groups[1]) {
                return false;
            }
        }
        return true;
    }

    void endFaults() {
        sim.faultsOn = false;
        sim.healing = true;
        sim.healStart = sim.now;
        net.heal();
        trace.note(sim.now, "faults stop: network healed, every server up");
        for (int i = 1; i < nodes.length; i++) {
            SimNode n = nodes[i];
            n.pausedUntil = Math.min(n.pausedUntil, sim.now);
            if (!n.alive) {
                restart(n);
            }
        }
    }

    void minorityCrash() {
        List<SimNode> victims = new ArrayList<>(sim.voters());
        victims.remove(rnd.nextInt(victims.size()));
        for (SimNode v : victims) {
            if (v.alive) {
                crash(v, false);
            }
        }
        committedAtMinority = checker.committedSize();
    }


    private void crash(SimNode n, boolean restart) {
        String was = n.name();
        int[] lostKept = n.disk.crash(rnd, p.partialFsync());
        n.alive = false;
        n.inc++;
        n.crashedAt = sim.now;
        n.core = null;
        n.app = new ArrayList<>();
        crashes++;
        trace.note(sim.now, "crash " + was + ": lost " + lostKept[0] + " unsynced entries, " + lostKept[1]
                + " made it to disk; log sim.now up to " + Fmt.z(n.disk.lastZxid()));
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
            sim.schedule(Simulator.TICK * (2 + rnd.nextInt(60)), new Event.Restart(n.id, n.inc));
        }
    }

    void restart(SimNode n) {
        sim.driver.boot(n);
        checker.committedOnQuorum("restarting " + n.name());
    }

    private void peerDownLater(SimNode n, long peer) {
        if (n.alive) {
            sim.schedule(1 + rnd.nextInt(50), new Event.PeerDown(n.id, n.inc, peer));
        }
    }
}
