package io.paddock.nemesis;

import io.paddock.nemesis.History.F;
import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import io.paddock.server.core.sim.RegisterCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /**
     * A session told it expired is gone: no op of it succeeds that was invoked after the client was
     * first told (by its Expired state or an op answered SessionExpired). With one client per
     * session, this also says no other connection of that session succeeds afterwards.
     */
    static List<String> expiredSessions(List<Op> ops, List<History.Expiry> expiries) {
        List<String> violations = new ArrayList<>();
        Map<Long, History.Expiry> first = firstExpiries(expiries);
        for (Op op : ops) {
            History.Expiry x = first.get(op.session());
            if (x != null && op.outcome() == Outcome.OK && op.invokedAt() > x.at()) {
                violations.add("an op of a session succeeded after its client was told it expired:\n  " + x + "\n  " + op);
            }
        }
        return violations;
    }

    /**
     * No live session is refused as expired: a session told it expired must own no ephemeral on the
     * healed servers ({@code owners}: the sessions that own one, asked once every told session has had
     * time to be expired for real). Its client sends nothing after being told, so a server would have
     * expired it by then; an ephemeral still there means the session lives on.
     */
    static List<String> liveSessionsRefused(List<History.Expiry> expiries, Set<Long> owners) {
        List<String> violations = new ArrayList<>();
        for (History.Expiry x : firstExpiries(expiries).values()) {
            if (owners.contains(x.session())) {
                violations.add("a session was told it expired, yet its ephemeral lives on after healing: " + x);
            }
        }
        return violations;
    }

    /** Each session's first expiry, by session id (0, a session that never connected, left out). */
    private static Map<Long, History.Expiry> firstExpiries(List<History.Expiry> expiries) {
        Map<Long, History.Expiry> first = new TreeMap<>();
        for (History.Expiry x : expiries) {
            if (x.session() != 0) {
                first.merge(x.session(), x, (a, b) -> a.at() <= b.at() ? a : b);
            }
        }
        return first;
    }

    /**
     * Sessions told they expired less than {@code timeoutNanos} after one of their ops last succeeded,
     * by session. Not a violation (a server that was partitioned or frozen may fairly expire a session
     * whose other server still answered it): a figure to compare.
     */
    static int expiredSoonAfterSuccess(List<Op> ops, List<History.Expiry> expiries, long timeoutNanos) {
        Map<Long, Long> lastOk = new HashMap<>();
        for (Op op : ops) {
            if (op.outcome() == Outcome.OK) {
                lastOk.merge(op.session(), op.returnedAt(), Math::max);
            }
        }
        int soon = 0;
        for (History.Expiry x : firstExpiries(expiries).values()) {
            Long ok = lastOk.get(x.session());
            soon += ok != null && x.at() - ok < timeoutNanos ? 1 : 0;
        }
        return soon;
    }

    /**
     * Acknowledged writes survive: every write of {@code key} acknowledged ok is in the final state
     * ({@code version} with its value) or superseded by it (an older version).
     */
    static List<String> durable(List<Op> ops, int key, String value, int version) {
        List<String> violations = new ArrayList<>();
        for (Op w : ops) {
            if (w.isWrite() && w.key() == key && w.outcome() == Outcome.OK
                    && (w.version() > version || w.version() == version && !w.value().equals(value))) {
                violations.add("an acknowledged write is lost: register " + key + " ends at version " + version + " with "
                        + value + ":\n  " + w);
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
