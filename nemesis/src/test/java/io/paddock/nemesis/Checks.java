package io.paddock.nemesis;

import io.paddock.nemesis.History.F;
import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import io.paddock.server.core.sim.RegisterCheck;
import io.paddock.nemesis.History.Create;
import io.paddock.nemesis.History.LockStep;
import io.paddock.nemesis.History.Member;
import io.paddock.nemesis.History.Node;
import io.paddock.nemesis.History.Step;
import io.paddock.nemesis.History.WatchEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a history must satisfy: linearizable writes and CAS (the simulation's Wing–Gong–Lowe search,
 * through {@link RegisterCheck}), and the guarantees that need no search: a session's view of a
 * register never goes back; a read after sync sees every write acknowledged before the sync was
 * sent; a read of a version returns the value the write of that version wrote; the healed servers
 * agree and keep every acknowledged write; the set of sequential creates loses, duplicates and
 * invents nothing; the lock is exclusive; watch events come once, before the data they announce,
 * and only for a real change.
 */
final class Checks {
    private Checks() {
    }

    /**
     * Every checker run on a whole history, online or read back from a file, by name: the violations
     * each found (empty if it passed). The checks on the final state need the members recorded.
     */
    static Map<String, List<String>> all(History history, int keys) {
        List<Op> ops = history.ops();
        List<Member> members = history.members();
        Map<String, List<String>> verdicts = registerVerdicts(ops, keys);
        verdicts.put("expired sessions", expiredSessions(ops, history.expiries()));
        verdicts.put("members agree", membersAgree(members));
        verdicts.put("registers survive", finalRegisters(ops, members, keys));
        verdicts.put("set", set(history.creates(), members));
        verdicts.put("lock", lock(history.lockSteps(), members));
        verdicts.put("watches", watches(ops, history.watchEvents()));
        return verdicts;
    }

    /**
     * Every member converges: the healed servers, each asked directly, hold the same registers (value,
     * version, mzxid), the same set and the same lock counter.
     */
    static List<String> membersAgree(List<Member> members) {
        if (members.isEmpty()) {
            return List.of("no final state of the healed servers was recorded");
        }
        List<String> violations = new ArrayList<>();
        Member first = members.get(0);
        for (Member m : members.subList(1, members.size())) {
            if (!m.registers().equals(first.registers()) || !m.set().equals(first.set())
                    || !Objects.equals(m.counter(), first.counter())) {
                violations.add("server " + m.server() + " ended with another state than server " + first.server() + ":\n  "
                        + first + "\n  " + m);
            }
        }
        return violations;
    }

    /** The final state's members with distinct contents (one, when they agree). */
    private static List<Member> distinct(List<Member> members) {
        Map<List<Object>, Member> by = new LinkedHashMap<>();
        for (Member m : members) {
            by.putIfAbsent(java.util.Arrays.asList(m.registers(), m.set(), m.counter()), m);
        }
        return List.copyOf(by.values());
    }

    /**
     * Each member's registers: its value was written by a write that may have taken effect with that
     * version ({@link #finalValue}), and no acknowledged write is lost ({@link #durable}).
     */
    static List<String> finalRegisters(List<Op> ops, List<Member> members, int keys) {
        List<String> violations = new ArrayList<>();
        for (Member m : distinct(members)) {
            for (int k = 0; k < keys; k++) {
                Node r = m.registers().get(k);
                if (r == null) {
                    violations.add("server " + m.server() + " has no register " + k);
                    continue;
                }
                String wrong = finalValue(ops, k, r.value(), r.version());
                if (wrong != null) {
                    violations.add("server " + m.server() + ": " + wrong);
                }
                durable(ops, k, r.value(), r.version()).forEach(v -> violations.add("server " + m.server() + ": " + v));
            }
        }
        return violations;
    }

    /**
     * The set of sequential creates, on each member: no create acknowledged ok is lost (its name is there
     * with its payload); none is duplicated (no payload under two names, no name returned twice); every
     * child comes from a create that may have happened (ok, or unknown), none from a failed one.
     */
    static List<String> set(List<Create> creates, List<Member> members) {
        List<String> violations = new ArrayList<>();
        Map<String, Create> byPayload = new HashMap<>();
        Map<String, Create> byName = new HashMap<>();
        for (Create c : creates) {
            byPayload.put(c.payload(), c);
            if (c.outcome() == Outcome.OK) {
                Create other = byName.put(c.name(), c);
                if (other != null) {
                    violations.add("two creates acknowledged with one name:\n  " + other + "\n  " + c);
                }
            }
        }
        for (Member m : distinct(members)) {
            Map<String, String> names = new HashMap<>();
            for (Map.Entry<String, String> child : new TreeMap<>(m.set()).entrySet()) {
                String other = names.put(child.getValue(), child.getKey());
                if (other != null) {
                    violations.add("server " + m.server() + ": a create is duplicated: " + other + " and " + child.getKey()
                            + " both hold " + child.getValue());
                }
                Create c = byPayload.get(child.getValue());
                if (c == null || c.outcome() == Outcome.FAIL) {
                    violations.add("server " + m.server() + ": " + child.getKey() + " holds " + child.getValue() + ", which "
                            + (c == null ? "no create wrote" : "a failed create wrote:\n  " + c));
                } else if (c.outcome() == Outcome.OK && !child.getKey().equals(c.name())) {
                    violations.add("server " + m.server() + ": " + child.getKey() + " holds the payload of a create"
                            + " acknowledged with another name:\n  " + c);
                }
            }
            for (Create c : byName.values()) {
                if (!c.payload().equals(m.set().get(c.name()))) {
                    violations.add("server " + m.server() + ": an acknowledged create is lost (" + c.name() + " holds "
                            + m.set().get(c.name()) + "):\n  " + c);
                }
            }
        }
        return violations;
    }

    /**
     * The lock is never held by two live sessions at once, in the linearized order (see {@link
     * LockWorkload} for why this follows): no holder's increment is refused with BadVersion, no two
     * acknowledged increments make one version, and on each member the counter's version lies between
     * the increments acknowledged and those plus the ones of unknown outcome.
     */
    static List<String> lock(List<LockStep> steps, List<Member> members) {
        List<String> violations = new ArrayList<>();
        int acknowledged = 0;
        int unknown = 0;
        Map<Integer, LockStep> made = new HashMap<>();
        for (LockStep s : steps) {
            if (s.step() != Step.INCREMENT) {
                continue;
            }
            if (s.outcome() == Outcome.FAIL && "BADVERSION".equals(s.error())) {
                violations.add("a lock holder's increment was refused: another session held the lock too:\n  " + s);
            }
            if (s.outcome() == Outcome.OK) {
                acknowledged++;
                LockStep other = made.put(s.version(), s);
                if (other != null) {
                    violations.add("two acknowledged increments made one version:\n  " + other + "\n  " + s);
                }
            }
            unknown += s.outcome() == Outcome.UNKNOWN ? 1 : 0;
        }
        for (Member m : distinct(members)) {
            int version = m.counter() == null ? -1 : m.counter().version();
            if (version < acknowledged || version > acknowledged + unknown) {
                violations.add("server " + m.server() + ": the lock counter ends at version " + version + " after "
                        + acknowledged + " acknowledged and " + unknown + " unknown increments");
            }
        }
        return violations;
    }

    /**
     * Watches, per session in its event-thread order: at most one event per registration (a WATCH_READ
     * answered ok at version v); the event comes before any answer of the session showing that register
     * at a version above v, its own writes' answers included (ZooKeeper's "a client sees the watch event
     * before it sees the new data"); an event announces a real change: it is a NodeDataChanged, and the
     * session's next answer for that register after it, if any, shows a version above v. Sessions that
     * ended lose their watches: a registration without an event is fine.
     */
    static List<String> watches(List<Op> ops, List<WatchEvent> events) {
        List<String> violations = new ArrayList<>();
        Map<String, List<Op>> answers = new HashMap<>();
        Map<String, Op> registrations = new HashMap<>();
        for (Op op : ops) {
            if (op.outcome() == Outcome.OK && op.seq() >= 0) {
                answers.computeIfAbsent(op.session() + "/" + op.key(), k -> new ArrayList<>()).add(op);
                if (op.f() == F.WATCH_READ) {
                    registrations.put(op.session() + "#" + op.seq(), op);
                }
            }
        }
        answers.values().forEach(list -> list.sort(Comparator.comparingLong(Op::seq)));
        Map<Op, WatchEvent> fired = new HashMap<>();
        for (WatchEvent e : events) {
            Op r = registrations.get(e.session() + "#" + e.registration());
            if (r == null) {
                // Its read was not answered in time and so not recorded; the session was closed right after.
                continue;
            }
            WatchEvent other = fired.put(r, e);
            if (other != null) {
                violations.add("a watch fired twice:\n  " + r + "\n  " + other + "\n  " + e);
            }
            if (!"NodeDataChanged".equals(e.kind())) {
                violations.add("a data watch on a register got a " + e.kind() + ":\n  " + r + "\n  " + e);
            }
            for (Op a : answers.get(r.session() + "/" + r.key())) {
                if (a.seq() > e.seq()) {
                    if (a.version() <= r.version()) {
                        violations.add("a watch fired, yet the session's next answer shows no change:\n  " + r + "\n  " + e
                                + "\n  " + a);
                    }
                    break;
                }
            }
        }
        for (Op r : registrations.values()) {
            WatchEvent e = fired.get(r);
            for (Op a : answers.get(r.session() + "/" + r.key())) {
                if (a.seq() > r.seq() && a.version() > r.version() && (e == null || e.seq() > a.seq())) {
                    violations.add("a session saw new data before the watch event announcing it:\n  " + r + "\n  " + a
                            + "\n  " + (e == null ? "no event" : e));
                    break;
                }
            }
        }
        return violations;
    }

    /** The register checks that need only the ops, by name: linearizable, session views, sync reads, read values. */
    private static Map<String, List<String>> registerVerdicts(List<Op> ops, int keys) {
        Map<String, List<String>> verdicts = new LinkedHashMap<>();
        String linearizable = RegisterCheck.check(keys, writes(ops));
        verdicts.put("linearizable", linearizable == null ? List.of() : List.of("writes not linearizable: " + linearizable));
        verdicts.put("session views", sessionViews(ops));
        verdicts.put("sync reads", syncReads(ops));
        verdicts.put("read values", readValues(ops));
        return verdicts;
    }

    /** Every violation the register checks that need only the ops find, each with the ops that show it; empty if none. */
    static List<String> check(List<Op> ops, int keys) {
        List<String> violations = new ArrayList<>();
        registerVerdicts(ops, keys).values().forEach(violations::addAll);
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
