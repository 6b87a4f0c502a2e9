package io.paddock.nemesis;

import io.paddock.nemesis.History.F;
import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import io.paddock.server.core.sim.RegisterCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a history must satisfy: linearizable writes and CAS (the simulation's Wing–Gong–Lowe search,
 * through {@link RegisterCheck}), and the guarantees that need no search: a session's view of a
 * register never goes back; a read after sync sees every write acknowledged before the sync was
 * sent; a read of a version returns the value the write of that version wrote.
 */
final class Checks {
    private Checks() {
    }

    /** Every violation found, each with the ops that show it; empty if none. */
    static List<String> check(List<Op> ops, int keys) {
        List<String> violations = new ArrayList<>();
        String linearizable = RegisterCheck.check(keys, writes(ops));
        if (linearizable != null) {
            violations.add("writes not linearizable: " + linearizable);
        }
        violations.addAll(sessionViews(ops));
        violations.addAll(syncReads(ops));
        violations.addAll(readValues(ops));
        return violations;
    }

    static List<RegisterCheck.Write> writes(List<Op> ops) {
        List<RegisterCheck.Write> writes = new ArrayList<>();
        for (Op op : ops) {
            if (!op.isWrite() || op.outcome() == Outcome.FAIL && !op.refused()) {
                // A write that certainly did not happen (session expired, refused by a server that was not serving).
                continue;
            }
            RegisterCheck.Outcome outcome = switch (op.outcome()) {
                case OK -> RegisterCheck.Outcome.OK;
                case FAIL -> RegisterCheck.Outcome.REFUSED;
                case UNKNOWN -> RegisterCheck.Outcome.UNKNOWN;
            };
            writes.add(new RegisterCheck.Write(op.process(), op.key(), op.f() == F.CAS, op.expected(), op.value(),
                    op.invokedAt(), op.returnedAt(), outcome, op.version()));
        }
        return writes;
    }

    /** Within one session, the versions its acknowledged ops report for a register never decrease. */
    static List<String> sessionViews(List<Op> ops) {
        List<String> violations = new ArrayList<>();
        Map<String, Op> last = new HashMap<>();
        // A session's ops run one at a time, so invocation order is its order.
        for (Op op : ops) {
            if (op.outcome() != Outcome.OK) {
                continue;
            }
            String view = op.session() + "/" + op.key();
            Op before = last.put(view, op);
            if (before != null && op.version() < before.version()) {
                violations.add("a session's view went back:\n  " + before + "\n  " + op);
            }
        }
        return violations;
    }

    /** A sync then read sees at least the highest version acknowledged to anyone before the sync was sent. */
    static List<String> syncReads(List<Op> ops) {
        List<String> violations = new ArrayList<>();
        for (Op read : ops) {
            if (read.f() != F.SYNC_READ || read.outcome() != Outcome.OK) {
                continue;
            }
            for (Op w : ops) {
                if (w.isWrite() && w.key() == read.key() && w.outcome() == Outcome.OK
                        && w.returnedAt() < read.invokedAt() && w.version() > read.version()) {
                    violations.add("a read after sync missed a write acknowledged before the sync:\n  " + w + "\n  " + read);
                    break;
                }
            }
        }
        return violations;
    }

    /** A read of version v of a register returns what the acknowledged write of version v wrote. */
    static List<String> readValues(List<Op> ops) {
        List<String> violations = new ArrayList<>();
        Map<String, Op> written = new HashMap<>();
        for (Op w : ops) {
            if (w.isWrite() && w.outcome() == Outcome.OK) {
                Op other = written.put(w.key() + "@" + w.version(), w);
                if (other != null) {
                    violations.add("two acknowledged writes made the same version:\n  " + other + "\n  " + w);
                }
            }
        }
        for (Op r : ops) {
            if (!r.isWrite() && r.outcome() == Outcome.OK) {
                Op w = written.get(r.key() + "@" + r.version());
                if (w != null && !w.value().equals(r.value())) {
                    violations.add("a read returned another value than its version's write:\n  " + w + "\n  " + r);
                }
            }
        }
        return violations;
    }

    /** The final value of a register was written by a write that may have taken effect with that version. */
    static String finalValue(List<Op> ops, int key, String value, int version) {
        if (version == 0) {
            return value.equals(NemesisRun.INITIAL) ? null : "register " + key + " is at version 0 with value " + value;
        }
        for (Op w : ops) {
            if (w.isWrite() && w.key() == key && w.value().equals(value)
                    && (w.outcome() == Outcome.UNKNOWN || w.outcome() == Outcome.OK && w.version() == version)) {
                return null;
            }
        }
        return "register " + key + " ends at version " + version + " with " + value
                + ", which no acknowledged write of that version nor any write of unknown outcome wrote";
    }
}
