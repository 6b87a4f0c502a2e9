package io.paddock.server.core.sim;

import io.paddock.protocol.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The writes clients made to a set of registers (znodes) and their children, as they saw them,
 * and the check that they are linearizable: a Wing–Gong–Lowe search, one register at a time, for
 * an order of the writes that respects real time and that a single znode with ZooKeeper's
 * versions and children would have produced. A register is its data version, its two named
 * children (created and deleted), its sequential children (created only), and the count of
 * creates under it, which numbers the next sequential child and, with the number of children,
 * makes the cversion clients see. A write is one or more steps (a multi is several, all on the
 * same register, so that registers stay independent) that take effect together or not at all.
 * A write whose outcome the client never learned (its connection went) may have taken effect at
 * any point after it was sent, or never. A refused write (BadVersion, NodeExists, NoNode, a
 * multi that failed) counts too, as a read of a state that refuses it at the same step with the
 * same error. After everything healed, the converged tree is a last read of every register.
 */
final class RegisterHistory {
    enum Kind { WRITE, CAS, CHECK, CREATE, CREATE_SEQ, DELETE, OBSERVE }

    enum Outcome { PENDING, OK, REFUSED, UNKNOWN }

    /** The names of a register's children that are created and deleted; sequential ones are only created. */
    static final List<String> CHILDREN = List.of("a", "b");

    /** One step of a write: setData (any version, or the expected one), check, create, delete of a child. */
    record Step(Kind kind, int expected, int child) {
        static Step set() {
            return new Step(Kind.WRITE, -1, -1);
        }

        static Step cas(int expected) {
            return new Step(Kind.CAS, expected, -1);
        }

        static Step check(int expected) {
            return new Step(Kind.CHECK, expected, -1);
        }

        static Step create(int child) {
            return new Step(Kind.CREATE, -1, child);
        }

        static Step createSequential() {
            return new Step(Kind.CREATE_SEQ, -1, -1);
        }

        static Step delete(int child) {
            return new Step(Kind.DELETE, -1, child);
        }

        boolean setsData() {
            return kind == Kind.WRITE || kind == Kind.CAS;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case WRITE -> "set";
                case CAS -> "cas(v" + expected + ")";
                case CHECK -> "check(v" + expected + ")";
                case CREATE -> "create(" + CHILDREN.get(child) + ")";
                case CREATE_SEQ -> "create(seq)";
                case DELETE -> "delete(" + CHILDREN.get(child) + ")";
                case OBSERVE -> "observe";
            };
        }
    }

    /**
     * What a register is: its data version, which named children exist (a bit each), how many
     * creates were made under it, and which sequence numbers its sequential children took.
     * Immutable (the bit set is never changed once made).
     */
    record State(int version, int children, int creates, BitSet sequential) {
        static final State INITIAL = new State(0, 0, 0, new BitSet());

        int numChildren() {
            return Integer.bitCount(children) + sequential.cardinality();
        }

        /** The cversion a client sees: every create and every delete of a child. */
        int cversion() {
            return 2 * creates - numChildren();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("v" + version + " cv" + cversion() + " children [");
            for (int i = 0; i < CHILDREN.size(); i++) {
                if ((children & 1 << i) != 0) {
                    b.append(CHILDREN.get(i)).append(' ');
                }
            }
            return b.append("seq ").append(sequential).append("] creates ").append(creates).toString();
        }
    }

    /** One write: what was asked, when, and what came back. */
    static final class Op {
        final int client;
        final int key;
        final List<Step> steps;
        final String value;
        final long invokedAt;
        Outcome outcome = Outcome.PENDING;
        long returnedAt = Long.MAX_VALUE;
        /** OK: the version and cversion its setData step reported (-1 if it has none). */
        int version = -1;
        int cversion = -1;
        /** OK: the sequence number its sequential create was given (-1 if it has none). */
        int seq = -1;
        /** REFUSED: the step that failed, and its error. */
        int failedStep = -1;
        int err;
        /** OBSERVE: the state read. */
        State observed;

        Op(int client, int key, List<Step> steps, String value, long invokedAt) {
            this.client = client;
            this.key = key;
            this.steps = List.copyOf(steps);
            this.value = value;
            this.invokedAt = invokedAt;
        }

        Kind kind() {
            return steps.size() == 1 ? steps.get(0).kind() : null;
        }

        @Override
        public String toString() {
            String what = kind() == Kind.OBSERVE ? "observe(" + observed + ")"
                    : (steps.size() > 1 ? "multi" : "") + steps + (value == null ? "" : " " + value);
            String result = switch (outcome) {
                case OK -> "OK" + (version >= 0 ? " v" + version + " cv" + cversion : "") + (seq >= 0 ? " seq " + seq : "");
                case REFUSED -> "REFUSED at step " + failedStep + " " + ErrorCode.fromCode(err);
                default -> outcome.toString();
            };
            return "c" + client + " r" + key + " " + what + " [" + invokedAt + ", "
                    + (returnedAt == Long.MAX_VALUE ? "?" : returnedAt) + "] -> " + result;
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private final int keys;

    RegisterHistory(int keys) {
        this.keys = keys;
    }

    Op invoke(int client, int key, List<Step> steps, String value, long at) {
        Op op = new Op(client, key, steps, value, at);
        ops.add(op);
        return op;
    }

    /** Done: {@code version}/{@code cversion} from its setData step's stat, {@code seq} from its sequential create (-1: none). */
    void ok(Op op, int version, int cversion, int seq, long at) {
        op.outcome = Outcome.OK;
        op.version = version;
        op.cversion = cversion;
        op.seq = seq;
        op.returnedAt = at;
    }

    /** Refused: step {@code step} failed with {@code err} (a read of a state that refuses it). */
    void refused(Op op, int step, int err, long at) {
        op.outcome = Outcome.REFUSED;
        op.failedStep = step;
        op.err = err;
        op.returnedAt = at;
    }

    /** The write was not applied, and the client knows it (SessionExpired, SessionMoved): not part of the history. */
    void failed(Op op) {
        ops.remove(op);
    }

    void unknown(Op op) {
        op.outcome = Outcome.UNKNOWN;
    }

    /** The register as every member holds it once everything healed: a read after every write. */
    void observe(int key, State state, long at) {
        Op op = invoke(-1, key, List.of(new Step(Kind.OBSERVE, -1, -1)), null, at);
        op.observed = state;
        op.outcome = Outcome.OK;
        op.returnedAt = at;
    }

    int size() {
        return ops.size();
    }

    /** The setData of register {@code key} with the highest version acknowledged before {@code t}, or null. */
    Op lastAckedBefore(int key, long t) {
        Op best = null;
        for (Op op : ops) {
            if (op.key == key && op.outcome == Outcome.OK && op.version >= 0 && op.returnedAt < t
                    && (best == null || op.version > best.version)) {
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
                Op relaxed = new Op(op.client, op.key, op.steps, op.value, op.invokedAt);
                relaxed.outcome = Outcome.UNKNOWN;
                out.add(relaxed);
            } else {
                out.add(op);
            }
        }
        return out;
    }

    /**
     * The state after {@code op}'s steps, all or none, or null if the op cannot have happened at
     * {@code s}: what it reported (versions, sequence number, the step that failed and why) must be
     * what the steps do to that state. An op of unknown outcome that would be refused changes nothing.
     * With the {@code goal} the history ends in (null if it is not known), a create must take a
     * number that goal gives a child of its kind (sequential or not: creates only count up, and
     * sequential children stay), and no count may pass the goal's.
     */
    static State apply(State s, Op op, State goal) {
        if (op.kind() == Kind.OBSERVE) {
            return s.equals(op.observed) ? s : null;
        }
        State t = s;
        int version = -1;
        int cversion = -1;
        int seq = -1;
        boolean reachable = true;
        for (int i = 0; i < op.steps.size(); i++) {
            Step step = op.steps.get(i);
            if (step.kind() == Kind.CREATE_SEQ) {
                seq = t.creates();
            }
            Object r = step(t, step);
            if (r instanceof Integer err) {
                return switch (op.outcome) {
                    case REFUSED -> op.failedStep == i && op.err == err ? s : null;
                    case UNKNOWN -> s;
                    default -> null;
                };
            }
            t = (State) r;
            // Checked once every step is known to succeed: a refused multi changes nothing.
            reachable &= goal == null || reaches(t, step, goal);
            if (step.setsData()) {
                version = t.version();
                cversion = t.cversion();
            }
        }
        return !reachable ? null : switch (op.outcome) {
            case OK -> op.version == version && op.cversion == cversion && op.seq == seq ? t : null;
            case UNKNOWN -> t;
            default -> null;
        };
    }

    /** Whether {@code goal} can still follow {@code t}, reached by {@code step}. */
    private static boolean reaches(State t, Step step, State goal) {
        if (t.version() > goal.version() || t.creates() > goal.creates()) {
            return false;
        }
        int number = t.creates() - 1;
        return switch (step.kind()) {
            case CREATE_SEQ -> goal.sequential().get(number);
            case CREATE -> !goal.sequential().get(number);
            default -> true;
        };
    }

    /** One step on a register: the state after it, or the error it fails with. */
    private static Object step(State s, Step step) {
        int bit = step.child() < 0 ? 0 : 1 << step.child();
        return switch (step.kind()) {
            case WRITE -> new State(s.version() + 1, s.children(), s.creates(), s.sequential());
            case CAS -> step.expected() == s.version()
                    ? new State(s.version() + 1, s.children(), s.creates(), s.sequential())
                    : ErrorCode.BAD_VERSION.code();
            case CHECK -> step.expected() == s.version() ? s : ErrorCode.BAD_VERSION.code();
            case CREATE -> (s.children() & bit) != 0 ? ErrorCode.NODE_EXISTS.code()
                    : new State(s.version(), s.children() | bit, s.creates() + 1, s.sequential());
            case CREATE_SEQ -> {
                BitSet seqs = (BitSet) s.sequential().clone();
                seqs.set(s.creates());
                yield new State(s.version(), s.children(), s.creates() + 1, seqs);
            }
            case DELETE -> (s.children() & bit) == 0 ? ErrorCode.NO_NODE.code()
                    : new State(s.version(), s.children() & ~bit, s.creates(), s.sequential());
            case OBSERVE -> s;
        };
    }

    private record Visited(BitSet done, State state) {
    }

    /** Wing–Gong–Lowe: depth-first over the ops that may come next, remembering (done, state) pairs seen. */
    private static final class Search {
        private static final int BUDGET = 300_000;
        private final List<Op> ops;
        /** The state the history ends in, if it ends in a read of it. */
        private State goal;
        private final Set<Visited> seen = new HashSet<>();
        private int completed;
        private int steps;

        Search(List<Op> ops) {
            this.ops = ops;
            for (Op op : ops) {
                completed += op.outcome == Outcome.UNKNOWN ? 0 : 1;
                goal = op.kind() == Kind.OBSERVE ? op.observed : goal;
            }
        }

        boolean linearizable() {
            if (completed == 0) {
                return true;
            }
            count();
            // Depth-first with an explicit stack: a real history places thousands of ops one after another,
            // deeper than a thread's stack would let a recursive search go.
            Deque<Frame> stack = new ArrayDeque<>();
            stack.push(new Frame(new BitSet(), State.INITIAL, 0));
            while (!stack.isEmpty()) {
                Frame next = stack.peek().next();
                if (next == null) {
                    stack.pop();
                } else if (next.doneCompleted == completed) {
                    return true;
                } else {
                    count();
                    stack.push(next);
                }
            }
            return false;
        }

        private void count() {
            if (++steps > BUDGET) {
                throw new IllegalStateException("the linearizability search gave up after " + BUDGET + " steps");
            }
        }

        /** A point of the search: the ops placed, the state they lead to, and which op to try placing next. */
        private final class Frame {
            final BitSet done;
            final State state;
            final int doneCompleted;
            /** An op may come next if it was invoked before every op not yet placed returned. */
            final long horizon;
            /** Ops whose outcome is known are tried first: one of unknown outcome is placed only where needed. */
            boolean unknown;
            int cursor;

            Frame(BitSet done, State state, int doneCompleted) {
                this.done = done;
                this.state = state;
                this.doneCompleted = doneCompleted;
                long h = Long.MAX_VALUE;
                for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
                    h = Math.min(h, ops.get(i).returnedAt);
                }
                this.horizon = h;
                this.cursor = done.nextClearBit(0);
            }

            /** The next point not seen before that placing one more op leads to, or null when none is left. */
            Frame next() {
                while (true) {
                    if (cursor >= ops.size()) {
                        if (unknown) {
                            return null;
                        }
                        unknown = true;
                        cursor = done.nextClearBit(0);
                        continue;
                    }
                    int i = cursor;
                    cursor = done.nextClearBit(i + 1);
                    Op op = ops.get(i);
                    if ((op.outcome == Outcome.UNKNOWN) != unknown || op.invokedAt > horizon
                            || !canonical(done, i, horizon)) {
                        continue;
                    }
                    State after = apply(state, op, goal);
                    if (after == null || (unknown && after.equals(state))) {
                        // Impossible here; or an unknown write that would change nothing, as if it never happened.
                        continue;
                    }
                    BitSet placed = (BitSet) done.clone();
                    placed.set(i);
                    if (seen.add(new Visited(placed, after))) {
                        return new Frame(placed, after, doneCompleted + (unknown ? 0 : 1));
                    }
                }
            }
        }

        /**
         * Of the unknown-outcome writes that would do the same (the same steps: unconditional
         * setData, conditional ones expecting the same version, creates of the same child...), only
         * the one invoked last is tried now: placing it here and the others later is possible
         * whenever the reverse is, since the horizon only grows.
         */
        private boolean canonical(BitSet done, int i, long horizon) {
            Op op = ops.get(i);
            if (op.outcome != Outcome.UNKNOWN) {
                return true;
            }
            for (int j = done.nextClearBit(0); j < ops.size(); j = done.nextClearBit(j + 1)) {
                Op other = ops.get(j);
                if (j != i && other.outcome == Outcome.UNKNOWN && other.steps.equals(op.steps)
                        && other.invokedAt <= horizon
                        && (other.invokedAt > op.invokedAt || (other.invokedAt == op.invokedAt && j > i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
