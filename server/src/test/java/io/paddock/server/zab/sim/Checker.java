package io.paddock.server.zab.sim;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.Zxid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariants, checked as each action is carried out (so after every step). The global
 * committed history is the longest history any server has delivered up to: every server's app
 * state up to its last delivered txn must be a prefix of it, and it only grows.
 */
final class Checker {
    private record Request(int sender, long inc) {
    }

    private final Simulator sim;
    private final List<Entry> committed = new ArrayList<>();
    private final Map<Long, String> leaders = new HashMap<>();
    private final Map<Long, byte[]> proposed = new HashMap<>();
    private final Map<Long, Request> requests = new HashMap<>();
    private final Map<Long, Boolean> answered = new HashMap<>();

    Checker(Simulator sim) {
        this.sim = sim;
    }

    int committedSize() {
        return committed.size();
    }

    long committedLastZxid() {
        return committed.isEmpty() ? 0 : committed.get(committed.size() - 1).zxid();
    }

    int establishedLeaders() {
        return leaders.size();
    }

    // ---- epochs (1) ----

    void persistEpochs(SimNode n, Action.PersistEpochs p) {
        if (p.acceptedEpoch() != -1 && p.acceptedEpoch() < n.disk.acceptedEpoch) {
            sim.fail("epochs-monotonic", n.name() + " lowers acceptedEpoch " + n.disk.acceptedEpoch + " -> "
                    + p.acceptedEpoch());
        }
        if (p.currentEpoch() != -1 && p.currentEpoch() < n.disk.currentEpoch) {
            sim.fail("epochs-monotonic", n.name() + " lowers currentEpoch " + n.disk.currentEpoch + " -> "
                    + p.currentEpoch());
        }
        long accepted = p.acceptedEpoch() != -1 ? p.acceptedEpoch() : n.disk.acceptedEpoch;
        long current = p.currentEpoch() != -1 ? p.currentEpoch() : n.disk.currentEpoch;
        if (accepted < current) {
            sim.fail("epochs-monotonic", n.name() + " would have acceptedEpoch " + accepted + " < currentEpoch "
                    + current);
        }
    }

    // ---- roles (1, 3) ----

    void roleChanged(SimNode n, Action.RoleChanged rc) {
        if (rc.state() == ServerState.LEADING && rc.leader() != n.id) {
            sim.fail("contract", n.name() + " leads but names leader " + rc.leader());
        }
        if (rc.state() == ServerState.OBSERVING && n.voter || rc.state() == ServerState.FOLLOWING && !n.voter
                || rc.state() == ServerState.LEADING && !n.voter) {
            sim.fail("contract", n.name() + (n.voter ? " (voter)" : " (observer)") + " takes role " + rc.state());
        }
        if (!rc.serving()) {
            return;
        }
        if (sim.p.earlyChecks() && n.voter && rc.state() != ServerState.LOOKING && n.disk.currentEpoch != rc.epoch()) {
            sim.fail("epochs-durable", n.name() + " serves in epoch " + rc.epoch() + " with currentEpoch "
                    + n.disk.currentEpoch + " on disk");
        }
        if (rc.state() != ServerState.LEADING) {
            return;
        }
        String who = n.name();
        String before = leaders.putIfAbsent(rc.epoch(), who);
        if (before != null && !before.equals(who)) {
            sim.fail("one-leader-per-epoch", "epoch " + rc.epoch() + " established by " + before + " and by " + who);
        }
        // Everything committed in earlier epochs (a later epoch may already have committed more:
        // this leader's quorum acknowledged it before moving on, and it can commit nothing new).
        for (int i = 0; i < committed.size() && Zxid.epoch(committed.get(i).zxid()) < rc.epoch(); i++) {
            Entry mine = n.disk.entryAt(i);
            if (!Codec.same(mine, committed.get(i))) {
                sim.fail("leader-has-committed", n.name() + " established epoch " + rc.epoch()
                        + " without committed txn #" + i + " " + Fmt.z(committed.get(i).zxid()) + " (has "
                        + (mine == null ? "nothing" : Fmt.z(mine.zxid())) + " there; committed history ends at "
                        + Fmt.z(committedLastZxid()) + ")");
            }
        }
    }

    // ---- logs (4) ----

    void propose(SimNode n, Entry e) {
        byte[] before = proposed.putIfAbsent(e.zxid(), e.data());
        if (before != null) {
            sim.fail("one-leader-per-epoch", n.name() + " proposes " + Fmt.z(e.zxid()) + ", proposed before");
        }
    }

    void append(SimNode n, Entry e) {
        long last = n.disk.lastZxid();
        if (e.zxid() <= last) {
            sim.fail("log-order", n.name() + " appends " + Fmt.z(e.zxid()) + " after " + Fmt.z(last));
        }
        byte[] data = proposed.get(e.zxid());
        if (data == null || !Arrays.equals(data, e.data())) {
            sim.fail("contract", n.name() + " appends " + Fmt.z(e.zxid()) + (data == null ? ", never proposed"
                    : " with other bytes than proposed"));
        }
    }

    void truncate(SimNode n, long zxid, List<Entry> removed, int firstRemoved) {
        if (zxid < n.delivered) {
            sim.fail("no-truncate-committed", n.name() + " truncates to " + Fmt.z(zxid) + " but delivered "
                    + Fmt.z(n.delivered));
        }
        if (zxid < n.disk.snapZxid()) {
            sim.fail("no-truncate-committed", n.name() + " truncates to " + Fmt.z(zxid) + " below its snapshot "
                    + Fmt.z(n.disk.snapZxid()));
        }
        for (int i = 0; i < removed.size(); i++) {
            int pos = firstRemoved + i;
            if (pos < committed.size() && Codec.same(committed.get(pos), removed.get(i))) {
                sim.fail("no-truncate-committed", n.name() + " truncates to " + Fmt.z(zxid) + ", dropping committed "
                        + Fmt.z(removed.get(i).zxid()));
            }
        }
    }

    void installSnapshot(SimNode n, long zxid, List<Entry> entries) {
        long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).zxid();
        if (last != zxid) {
            sim.fail("contract", n.name() + " installs a snapshot said to be at " + Fmt.z(zxid) + " that ends at "
                    + Fmt.z(last));
        }
        int common = Math.min(entries.size(), committed.size());
        for (int i = 0; i < common; i++) {
            if (!Codec.same(entries.get(i), committed.get(i))) {
                sim.fail("committed-prefix", n.name() + " installs a snapshot whose txn #" + i + " is "
                        + Fmt.z(entries.get(i).zxid()) + " where the committed history has "
                        + Fmt.z(committed.get(i).zxid()));
            }
        }
    }

    // ---- delivery (2, 3, 4, 6) ----

    /** Before the app applies {@code e}: it must be the next txn of the server's own log. */
    void deliver(SimNode n, Entry e) {
        long last = n.appLastZxid();
        if (e.zxid() <= last) {
            sim.fail("deliver-order", n.name() + " delivers " + Fmt.z(e.zxid()) + " after applying "
                    + Fmt.z(last));
        }
        Entry next = n.disk.entryAt(n.app.size());
        if (!Codec.same(next, e)) {
            sim.fail("deliver-order", n.name() + " delivers " + Fmt.z(e.zxid()) + " but the next txn of its log is "
                    + (next == null ? "none" : Fmt.z(next.zxid())));
        }
        if (e.local() != null && n.locals.get(e.zxid()) != e.local()) {
            sim.fail("contract", n.name() + " delivers " + Fmt.z(e.zxid()) + " with a local object it did not attach");
        }
        if (e.local() == null && n.locals.containsKey(e.zxid()) && n.leadEpoch == Zxid.epoch(e.zxid())) {
            sim.fail("contract", n.name() + " delivers its own " + Fmt.z(e.zxid()) + " without its local object");
        }
    }

    /** After a Deliver: the app state up to its end is committed. */
    void delivered(SimNode n) {
        for (int i = n.verified; i < n.app.size(); i++) {
            Entry e = n.app.get(i);
            if (i < committed.size()) {
                if (!Codec.same(committed.get(i), e)) {
                    sim.fail("committed-prefix", n.name() + " committed " + Fmt.z(e.zxid()) + " as txn #" + i
                            + " where another server committed " + Fmt.z(committed.get(i).zxid()));
                }
            } else {
                committed.add(e);
                newlyCommitted(n, i);
            }
        }
        n.verified = n.app.size();
    }

    private void newlyCommitted(SimNode n, int position) {
        Entry e = committed.get(position);
        int quorum = sim.p.voters() / 2 + 1;
        int live = 0;
        for (SimNode v : sim.voters()) {
            if (v.alive || sim.now - v.crashedAt < Simulator.GRACE) {
                live++;
            }
        }
        if (live < quorum) {
            sim.fail("observers-no-quorum", n.name() + " commits " + Fmt.z(e.zxid()) + " with only " + live
                    + " voters up (or crashed within " + Simulator.GRACE / Simulator.TICK + " ticks)");
        }
        if (!sim.p.earlyChecks()) {
            return;
        }
        int durable = 0;
        StringBuilder on = new StringBuilder();
        for (SimNode v : sim.voters()) {
            if (Codec.same(v.disk.durableAt(position), e)) {
                durable++;
                on.append(' ').append(v.id);
            }
        }
        if (durable < quorum) {
            sim.fail("committed-durable", n.name() + " commits " + Fmt.z(e.zxid()) + " (txn #" + position
                    + ") that is durable on voters {" + on.toString().trim() + "} only");
        }
    }

    /** After a crash or a restart: every committed txn is still on a quorum of voters' disks. */
    void committedOnQuorum(String when) {
        if (!sim.p.earlyChecks() || committed.isEmpty()) {
            return;
        }
        List<SimNode> voters = sim.voters();
        int[] prefix = new int[voters.size()];
        for (int k = 0; k < voters.size(); k++) {
            SimDisk d = voters.get(k).disk;
            int i = 0;
            while (i < committed.size() && Codec.same(d.durableAt(i), committed.get(i))) {
                i++;
            }
            prefix[k] = i;
        }
        int[] sorted = prefix.clone();
        Arrays.sort(sorted);
        int quorum = voters.size() / 2 + 1;
        int covered = sorted[sorted.length - quorum];
        if (covered < committed.size()) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < voters.size(); k++) {
                b.append(" s").append(voters.get(k).id).append(":").append(prefix[k]);
            }
            sim.fail("committed-durable", "after " + when + ", committed txn #" + covered + " "
                    + Fmt.z(committed.get(covered).zxid()) + " is durable on fewer than " + quorum
                    + " voters (committed txns durable per voter:" + b + " of " + committed.size() + ")");
        }
    }

    // ---- messages and the app protocol ----

    void send(SimNode n, long to, Msg m) {
        if (to == n.id || to < 1 || to > sim.nodes.length - 1) {
            sim.fail("contract", n.name() + " sends to " + to);
        }
        if (m instanceof Msg.Link l) {
            Entry e = l.body() instanceof Msg.Propose p ? p.entry() : l.body() instanceof Msg.Inform i ? i.entry() : null;
            if (e != null && e.local() != null) {
                sim.fail("contract", n.name() + " sends " + Fmt.z(e.zxid()) + " with its local object");
            }
        }
    }

    void requestSent(SimNode n, long requestId) {
        requests.put(requestId, new Request(n.id, n.inc));
    }

    void requestReceived(SimNode n, long from, byte[] payload) {
        Request r = requests.get(Codec.requestId(payload));
        if (r == null || r.sender != from) {
            sim.fail("contract", n.name() + " receives request " + Codec.requestId(payload) + " as from " + from
                    + (r == null ? ", never sent" : ", sent by s" + r.sender));
        }
    }

    void replyReceived(SimNode n, byte[] payload) {
        long id = Codec.requestId(payload);
        Request r = requests.get(id);
        if (r == null || r.sender != n.id || r.inc != n.inc) {
            sim.fail("contract", n.name() + " gets a reply to request " + id + " it did not send");
        }
        if (answered.put(id, Boolean.TRUE) != null) {
            sim.fail("contract", n.name() + " gets a second reply to request " + id);
        }
        long after = Codec.replyZxid(payload);
        if (n.appLastZxid() < after) {
            sim.fail("reply-after-commit", n.name() + " gets the reply to request " + id + " that the leader sent after "
                    + Fmt.z(after) + " but has applied only up to " + Fmt.z(n.appLastZxid()));
        }
    }
}
