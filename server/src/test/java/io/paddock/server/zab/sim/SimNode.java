package io.paddock.server.zab.sim;

import io.paddock.server.zab.Entry;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.ZabConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** One simulated server: its disk (which outlives crashes), and the process state of its current incarnation. */
final class SimNode {
    final int id;
    final boolean voter;
    final ZabConfig config;
    final SimDisk disk = new SimDisk();

    /** Incarnation: bumped by each crash, which voids every event aimed at the old one. */
    long inc;
    boolean alive;
    long crashedAt = Long.MIN_VALUE;
    long pausedUntil;
    SimCore core;

    /** The app state: every applied txn, oldest first (snapshot + replayed log + delivered). */
    List<Entry> app = new ArrayList<>();
    /** How many app entries are known to be the global committed history's. */
    int verified;
    /** The highest zxid delivered in this incarnation (0: none). */
    long delivered;

    ServerState role = ServerState.LOOKING;
    long leader = -1;
    long epoch = -1;
    boolean serving;

    /** As leader app: the epoch it proposes in (-1: not a serving leader), the counter, the last zxid proposed. */
    long leadEpoch = -1;
    long counter;
    long lastProposed;
    /** The local objects attached to this incarnation's proposals. */
    HashMap<Long, Object> locals = new HashMap<>();

    /** Bumped by a truncation or an installed snapshot: the fsync in flight then is completed or forgotten. */
    long fsyncGen;
    boolean fsyncInFlight;
    /** Writes up to here were made before the latest truncation or snapshot: never reported as Persisted. */
    long reportFloor;
    long lastAppended;

    SimNode(int id, boolean voter, ZabConfig config) {
        this.id = id;
        this.voter = voter;
        this.config = config;
    }

    long appLastZxid() {
        return app.isEmpty() ? 0 : app.get(app.size() - 1).zxid();
    }

    boolean servingLeader() {
        return alive && leadEpoch >= 0;
    }

    boolean servingLearner() {
        return alive && serving && (role == ServerState.FOLLOWING || role == ServerState.OBSERVING);
    }

    String name() {
        return "s" + id + "#" + inc;
    }

    String describe() {
        StringBuilder b = new StringBuilder(name()).append(voter ? " voter" : " observer");
        if (!alive) {
            b.append(" DOWN");
        } else {
            b.append(' ').append(role).append(" leader=").append(leader).append(" epoch=").append(epoch)
                    .append(serving ? " serving" : " not serving");
        }
        b.append(" | disk: acceptedEpoch=").append(disk.acceptedEpoch).append(" currentEpoch=")
                .append(disk.currentEpoch).append(" snap=").append(Fmt.z(disk.snapZxid())).append(" log ")
                .append(disk.logSize()).append(" up to ").append(Fmt.z(disk.lastZxid())).append(" (durable to ")
                .append(Fmt.z(disk.lastDurableZxid())).append(')');
        if (alive) {
            b.append(" | app ").append(app.size()).append(" up to ").append(Fmt.z(appLastZxid()))
                    .append(", delivered to ").append(Fmt.z(delivered));
        }
        return b.toString();
    }
}
