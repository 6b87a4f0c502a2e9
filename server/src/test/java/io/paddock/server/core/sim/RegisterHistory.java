package io.paddock.server.core.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The writes clients made to a set of registers (znodes), as they saw them, and the check that
 * they are linearizable: a Wing–Gong–Lowe search, one register at a time, for an order of the
 * writes that respects real time and that a single register with ZooKeeper's versions would have
 * produced. A write whose outcome the client never learned (its connection went) may have taken
 * effect at any point after it was sent, or never. A conditional write refused with BadVersion
 * counts too, as a read of a version other than the one it expected.
 */
final class RegisterHistory {
    enum Kind { WRITE, CAS }

    enum Outcome { PENDING, OK, REFUSED, UNKNOWN }

    /** One write: what was asked, when, and what came back (the new version for OK). */
    static final class Op {
        final int client;
        final int key;
        final Kind kind;
        final int expected;
        final String value;
        final long invokedAt;
        Outcome outcome = Outcome.PENDING;
        int version = -1;
        long returnedAt = Long.MAX_VALUE;

        Op(int client, int key, Kind kind, int expected, String value, long invokedAt) {
            this.client = client;
            this.key = key;
            this.kind = kind;
            this.expected = expected;
            this.value = value;
            this.invokedAt = invokedAt;
        }

        @Override
        public String toString() {
            return "c" + client + " r" + key + " " + (kind == Kind.CAS ? "cas(v" + expected + ", " : "set(") + value
                    + ") [" + invokedAt + ", " + (returnedAt == Long.MAX_VALUE ? "?" : returnedAt) + "] -> " + outcome
                    + (outcome == Outcome.OK ? " v" + version : "");
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private final int keys;

    RegisterHistory(int keys) {
        this.keys = keys;
    }

    Op invoke(int client, int key, Kind kind, int expected, String value, long at) {
        Op op = new Op(client, key, kind, expected, value, at);
        ops.add(op);
        return op;
    }

    void ok(Op op, int version, long at) {
        op.outcome = Outcome.OK;
        op.version = version;
        op.returnedAt = at;
    }

    void refused(Op op, long at) {
        op.outcome = Outcome.REFUSED;
        op.returnedAt = at;
    }

    /** The write was not applied, and the client knows it (SessionExpired, SessionMoved): not part of the history. */
    void failed(Op op) {
        ops.remove(op);
    }

    void unknown(Op op) {
        op.outcome = Outcome.UNKNOWN;
    }

    int size() {
        return ops.size();
    }

    /** The write of register {@code key} with the highest version acknowledged before {@code t}, or null. */
    Op lastAckedBefore(int key, long t) {
        Op best = null;
        for (Op op : ops) {
            if (op.key == key && op.outcome == Outcome.OK && op.returnedAt < t && (best == null || op.version > best.version)) {
                best = op;
            }
        }
        return best;
    }

    /**
     * Null if every register's history is linearizable, else the violating register's history, cut
     * down to the shortest prefix that already fails (the writes invoked up to some instant, those
     * still in flight then counted as of unknown outcome: a relaxation, so its failure is the whole
     * history's), of which the last writes are shown.
     */
    String check() {
        for (int k = 0; k < keys; k++) {
            List<Op> mine = new ArrayList<>();
            for (Op op : ops) {
                if (op.key == k) {
                    // A write still pending at the end has an unknown outcome.
                    if (op.outcome == Outcome.PENDING) {
                        op.outcome = Outcome.UNKNOWN;
                    }
                    mine.add(op);
                }
            }
            String verdict = verdict(mine);
            if (verdict == null) {
                continue;
            }
            List<Long> instants = new ArrayList<>();
            for (Op op : mine) {
                instants.add(op.invokedAt);
            }
            instants.sort(null);
            int lo = 0;
            int hi = instants.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (verdict(prefix(mine, instants.get(mid))) != null) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            List<Op> shortest = prefix(mine, instants.get(lo));
            String why = verdict(shortest);
            StringBuilder b = new StringBuilder("register " + k + ": " + (why == null ? verdict : why) + "; the "
                    + shortest.size() + " writes invoked up to " + instants.get(lo) + " already fail; the last of them:\n");
            for (Op op : shortest.subList(Math.max(0, shortest.size() - 40), shortest.size())) {
                b.append("  ").append(op).append('\n');
            }
            return b.toString();
        }
        return null;
    }

    /** Null if linearizable, else why not. */
    private static String verdict(List<Op> history) {
        try {
            return new Search(history).linearizable() ? null : "not linearizable";
        } catch (IllegalStateException gaveUp) {
            return gaveUp.getMessage();
        }
    }

    /** The writes invoked up to {@code t}; those that returned after it as of unknown outcome. */
    private static List<Op> prefix(List<Op> history, long t) {
        List<Op> out = new ArrayList<>();
        for (Op op : history) {
            if (op.invokedAt > t) {
                continue;
            }
            if (op.returnedAt > t && op.outcome != Outcome.UNKNOWN) {
                Op relaxed = new Op(op.client, op.key, op.kind, op.expected, op.value, op.invokedAt);
                relaxed.outcome = Outcome.UNKNOWN;
                out.add(relaxed);
            } else {
                out.add(op);
            }
        }
        return out;
    }

    /**
     * What the search tracks of a register: its version alone. No read is part of the history and
     * versions count the writes, so the values never decide anything; leaving them out makes writes
     * of unknown outcome interchangeable, which keeps the search small.
     */
    private record Visited(BitSet done, int version) {
    }

    /** Wing–Gong–Lowe: depth-first over the ops that may come next, remembering (done, version) pairs seen. */
    private static final class Search {
        private static final int BUDGET = 300_000;
        private final List<Op> ops;
        private final Set<Visited> seen = new HashSet<>();
        private int completed;
        private int steps;

        Search(List<Op> ops) {
            this.ops = ops;
            for (Op op : ops) {
                completed += op.outcome == Outcome.UNKNOWN ? 0 : 1;
            }
        }

        boolean linearizable() {
            return search(new BitSet(), 0, 0);
        }

        private boolean search(BitSet done, int version, int doneCompleted) {
            if (doneCompleted == completed) {
                return true;
            }
            if (++steps > BUDGET) {
                throw new IllegalStateException("the linearizability search gave up after " + BUDGET + " steps");
            }
            // An op may come next if it was invoked before every op not yet placed returned.
            long horizon = Long.MAX_VALUE;
            for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
                horizon = Math.min(horizon, ops.get(i).returnedAt);
            }
            for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
                Op op = ops.get(i);
                if (op.invokedAt > horizon || !canonical(done, i, horizon)) {
                    continue;
                }
                int next = apply(version, op);
                if (next < 0 || (op.outcome == Outcome.UNKNOWN && next == version)) {
                    // Impossible here; or an unknown write that would change nothing, as if it never happened.
                    continue;
                }
                BitSet after = (BitSet) done.clone();
                after.set(i);
                if (seen.add(new Visited(after, next))
                        && search(after, next, doneCompleted + (op.outcome == Outcome.UNKNOWN ? 0 : 1))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Of the unknown-outcome writes that would do the same (unconditional ones; conditional ones
         * expecting the same version), only the one invoked last is tried now: placing it here and the
         * others later is possible whenever the reverse is, since the horizon only grows.
         */
        private boolean canonical(BitSet done, int i, long horizon) {
            Op op = ops.get(i);
            if (op.outcome != Outcome.UNKNOWN) {
                return true;
            }
            for (int j = done.nextClearBit(0); j < ops.size(); j = done.nextClearBit(j + 1)) {
                Op other = ops.get(j);
                if (j != i && other.outcome == Outcome.UNKNOWN && other.kind == op.kind
                        && (op.kind == Kind.WRITE || other.expected == op.expected) && other.invokedAt <= horizon
                        && (other.invokedAt > op.invokedAt || (other.invokedAt == op.invokedAt && j > i))) {
                    return false;
                }
            }
            return true;
        }

        /** The register's version after {@code op}, or -1 if the op cannot have happened at {@code version}. */
        private static int apply(int version, Op op) {
            boolean matches = op.kind == Kind.WRITE || op.expected == version;
            switch (op.outcome) {
                case REFUSED:
                    return matches ? -1 : version;
                case OK:
                    return matches && op.version == version + 1 ? op.version : -1;
                case UNKNOWN:
                    // Had it happened, it would have succeeded or been refused, whichever the version says.
                    return matches ? version + 1 : version;
                default:
                    throw new IllegalStateException("pending op in the search: " + op);
            }
        }
    }
}
