package io.paddock.server.core.sim;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Stat;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import io.paddock.server.tree.NodeKind;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ephemeral nodes checked against the committed log, as it is delivered: which ephemerals exist
 * after each zxid is worked out here from the txns alone (a create of an ephemeral gives it to its
 * session, a delete takes it away, a session's close takes every one it owns), and then
 *
 * <ul>
 *   <li>every member, after applying each txn, holds exactly those ephemerals with those owners
 *       (an ephemeral goes exactly at its session's close, and not before unless deleted);
 *   <li>an ephemeral's owner is the session whose create made it, and no session creates one
 *       before it is created or after its close is committed;
 *   <li>a close names the ephemerals its session owned;
 *   <li>every reply about an ephemeral is what the log says: a write's reply names (by zxid) the
 *       txn of that session and request, which made the change or the refusal the reply reports
 *       against the state before it, and which first applied after the request was sent; a read's
 *       reply shows the state as of its zxid.
 * </ul>
 *
 * <p>A separate checker rather than part of {@link RegisterHistory}'s search, because a close is
 * a write no client asked for and whose place only the log knows: writes on ephemerals are
 * ordered by the log, every reply names its place in it, and so linearizability comes down to
 * each reply matching the txn at its zxid (the order of the log is that of first application,
 * which lies within each write's interval), with no search.
 */
final class EphemeralHistory {
    /** The parent of the clients' ephemerals (persistent, created with the registers). */
    static final String PARENT = "/eph";

    /** A request about an ephemeral, or about {@link #PARENT}'s children, as the client sent it. */
    record Op(long session, int xid, int op, String path, long invokedAt) {
        @Override
        public String toString() {
            return OpCode.name(op) + " " + path + " (session " + Long.toHexString(session) + " xid " + xid + ", sent at "
                    + invokedAt + ")";
        }
    }

    /** How long an ephemeral lived: created at one zxid, gone at another (0 while it lives), by its session's close or not. */
    private static final class Lifetime {
        final long owner;
        final long created;
        long ended;
        boolean byClose;

        Lifetime(long owner, long created) {
            this.owner = owner;
            this.created = created;
        }
    }

    private final WholeServerSim sim;
    /** Every delivered txn by zxid, as first delivered, and when it was first applied. */
    private final Map<Long, TxnCodec.Entry> log = new HashMap<>();
    /** The zxid after which each member's ephemerals were last compared, and in which incarnation of it. */
    private final Map<Integer, Long> checked = new HashMap<>();
    private final Map<Integer, Long> checkedIncarnation = new HashMap<>();
    private final Map<Long, Long> firstApplied = new HashMap<>();
    private long last;
    /** The ephemerals (path to owner) after each zxid that changed them. */
    private final TreeMap<Long, Map<String, Long>> states = new TreeMap<>(Map.of(0L, Map.of()));
    private final Set<Long> live = new HashSet<>();
    private final Map<Long, Long> closedAt = new HashMap<>();
    private final Map<String, List<Lifetime>> lifetimes = new HashMap<>();

    EphemeralHistory(WholeServerSim sim) {
        this.sim = sim;
    }

    private Map<String, Long> now() {
        return states.lastEntry().getValue();
    }

    /** The ephemerals as of {@code zxid} (after it). */
    Map<String, Long> at(long zxid) {
        return states.floorEntry(zxid).getValue();
    }

    // ---------------------------------------------------------------- the members

    /**
     * Member {@code m} applied {@code header}'s txn: null, or what is wrong with it or with the
     * ephemerals the member holds now.
     */
    String applied(Member m, TxnHeader header, Txn txn, StateMachine sm) {
        long zxid = header.zxid();
        if (zxid > last) {
            if (zxid != last + 1) {
                // A new epoch, or txns this member took from its own log on restart or from a
                // snapshot, which no member has delivered yet: being before a committed txn in its
                // log, they are committed too.
                for (TxnCodec.Entry e : m.logged(last, zxid)) {
                    String broken = record(e.header(), e.txn());
                    if (broken != null) {
                        return broken;
                    }
                }
            }
            String broken = record(header, txn);
            if (broken != null) {
                return broken;
            }
        } else if (!log.containsKey(zxid) || !log.get(zxid).header().equals(header)
                || log.get(zxid).txn().getClass() != txn.getClass()) {
            // (Txns are compared by kind only: the members' trees are compared at the end.)
            return "s" + m.id + " applied " + describe(header, txn) + " at " + hex(zxid) + ", but " + (log.containsKey(zxid)
                    ? "another member applied " + describe(log.get(zxid).header(), log.get(zxid).txn()) + " there"
                    : "no member applied a txn there though later ones were");
        }
        // A txn that touches no node leaves the ephemerals as the last check found them, if that
        // was of the txn before it in the same process.
        boolean touches = txn instanceof Txn.Create || txn instanceof Txn.Delete || txn instanceof Txn.Multi
                || txn instanceof Txn.CloseSession;
        boolean follows = checked.getOrDefault(m.id, -1L) == zxid - 1
                && checkedIncarnation.getOrDefault(m.id, -1L) == m.incarnation;
        checked.put(m.id, zxid);
        checkedIncarnation.put(m.id, m.incarnation);
        return !touches && follows ? null : compare("s" + m.id + " after applying " + describe(header, txn), sm, at(zxid));
    }

    private String record(TxnHeader header, Txn txn) {
        log.put(header.zxid(), new TxnCodec.Entry(header, txn));
        firstApplied.put(header.zxid(), sim.now());
        last = header.zxid();
        return advance(header, txn);
    }

    /** The next txn of the log: the ephemerals after it, or why it cannot be. */
    private String advance(TxnHeader h, Txn txn) {
        long s = h.sessionId();
        Map<String, Long> next = new TreeMap<>(now());
        String broken = null;
        if (txn instanceof Txn.CreateSession) {
            live.add(s);
        } else if (txn instanceof Txn.CloseSession c) {
            Set<String> owned = owned(next, s);
            if (!new TreeSet<>(c.ephemerals()).equals(owned)) {
                broken = "the close of session " + Long.toHexString(s) + " at " + hex(h.zxid()) + " lists " + c.ephemerals()
                        + " but the session owned " + owned;
            }
            for (String path : owned) {
                next.remove(path);
                Lifetime l = lifetime(path);
                l.ended = h.zxid();
                l.byClose = true;
            }
            live.remove(s);
            closedAt.putIfAbsent(s, h.zxid());
        } else {
            broken = change(h, txn, next);
        }
        if (!next.equals(now())) {
            states.put(h.zxid(), Map.copyOf(next));
        }
        return broken;
    }

    private String change(TxnHeader h, Txn txn, Map<String, Long> next) {
        if (txn instanceof Txn.Multi m) {
            for (Txn op : m.ops()) {
                String broken = change(h, op, next);
                if (broken != null) {
                    return broken;
                }
            }
        } else if (txn instanceof Txn.Create c && NodeKind.isEphemeral(c.ephemeralOwner(), false)) {
            long s = h.sessionId();
            String what = "the ephemeral create of " + c.path() + " at " + hex(h.zxid()) + " by session " + Long.toHexString(s);
            if (c.ephemeralOwner() != s) {
                return what + " gives it to session " + Long.toHexString(c.ephemeralOwner());
            }
            if (!live.contains(s)) {
                return what + " succeeded, but " + (closedAt.containsKey(s) ? "the session's close was committed at "
                        + hex(closedAt.get(s)) : "the session was never created");
            }
            if (next.containsKey(c.path())) {
                return what + " succeeded, but the node already existed";
            }
            next.put(c.path(), s);
            lifetimes.computeIfAbsent(c.path(), p -> new ArrayList<>()).add(new Lifetime(s, h.zxid()));
        } else if (txn instanceof Txn.Delete d && next.remove(d.path()) != null) {
            lifetime(d.path()).ended = h.zxid();
        }
        return null;
    }

    private Lifetime lifetime(String path) {
        List<Lifetime> all = lifetimes.get(path);
        return all.get(all.size() - 1);
    }

    private static Set<String> owned(Map<String, Long> state, long session) {
        Set<String> out = new TreeSet<>();
        state.forEach((path, owner) -> {
            if (owner == session) {
                out.add(path);
            }
        });
        return out;
    }

    /** Null if {@code sm} holds exactly the ephemerals {@code expected} (in its nodes and in its index), else how not. */
    private String compare(String who, StateMachine sm, Map<String, Long> expected) {
        DataTree tree = sm.tree();
        Map<String, Long> indexed = new TreeMap<>();
        for (Map.Entry<Long, ? extends Set<String>> e : tree.ephemeralsBySession().entrySet()) {
            for (String path : e.getValue()) {
                indexed.put(path, e.getKey());
            }
        }
        Map<String, Long> held = new TreeMap<>();
        Node parent = tree.get(PARENT);
        for (String name : parent == null ? List.<String>of() : parent.childNames()) {
            held.put(PARENT + "/" + name, tree.get(PARENT + "/" + name).ephemeralOwner());
        }
        if (!held.equals(indexed)) {
            return who + ": its nodes under " + PARENT + " are " + owners(held) + " but its index of ephemerals says "
                    + owners(indexed);
        }
        if (held.equals(expected)) {
            return null;
        }
        StringBuilder b = new StringBuilder(who + ": its ephemerals are " + owners(held) + ", the log's " + owners(expected));
        for (Map.Entry<String, Long> e : held.entrySet()) {
            Long closed = closedAt.get(e.getValue());
            if (!expected.containsKey(e.getKey()) && closed != null) {
                b.append("; ").append(e.getKey()).append(" outlived its session ").append(Long.toHexString(e.getValue()))
                        .append(", closed at ").append(hex(closed));
            }
        }
        return b.toString();
    }

    private static String owners(Map<String, Long> state) {
        StringBuilder b = new StringBuilder("{");
        state.forEach((path, owner) -> b.append(b.length() > 1 ? ", " : "").append(path).append('=')
                .append(Long.toHexString(owner)));
        return b.append('}').toString();
    }

    // ---------------------------------------------------------------- the clients

    /**
     * A write answered at {@code zxid}: null, or why the reply is not what the log did.
     * {@code created}: the path an OK create reports; {@code stat}: the stat it reports, if any.
     */
    String written(Op op, int err, String created, Stat stat, long zxid) {
        TxnCodec.Entry e = log.get(zxid);
        if (e == null || e.header().sessionId() != op.session() || e.header().cxid() != op.xid()) {
            return op + " was answered " + ErrorCode.fromCode(err) + " at " + hex(zxid) + ", where the log holds "
                    + (e == null ? "nothing yet" : describe(e.header(), e.txn()));
        }
        if (firstApplied.get(zxid) < op.invokedAt()) {
            return op + " is answered by " + hex(zxid) + ", first applied at " + firstApplied.get(zxid) + ", before it was sent";
        }
        boolean before = at(zxid - 1).containsKey(created != null ? created : op.path());
        Txn txn = e.txn();
        boolean matches = switch (op.op()) {
            case OpCode.CREATE, OpCode.CREATE2 -> err == 0 ? txn instanceof Txn.Create c && c.path().equals(created)
                    && c.path().startsWith(op.path()) && (stat == null || stat.ephemeralOwner() == op.session())
                    : err == ErrorCode.NODE_EXISTS.code() && txn instanceof Txn.Error && before;
            case OpCode.DELETE -> err == 0 ? txn instanceof Txn.Delete d && d.path().equals(op.path())
                    : err == ErrorCode.NO_NODE.code() && txn instanceof Txn.Error && !before;
            default -> false;
        };
        return matches ? null : op + " was answered " + ErrorCode.fromCode(err) + (created == null ? "" : " " + created)
                + (stat == null ? "" : " owner " + Long.toHexString(stat.ephemeralOwner())) + " at " + hex(zxid)
                + ", where the log holds " + describe(e.header(), e.txn()) + " after " + owners(at(zxid - 1));
    }

    /**
     * A read answered at {@code zxid}: {@code stat} for a node (null if it is missing), or
     * {@code children} of {@link #PARENT}. Null, or why it is not the state of the log there.
     */
    String read(Op op, Stat stat, Collection<String> children, long zxid) {
        if (zxid > last) {
            return op + " was answered at " + hex(zxid) + ", which no member has applied";
        }
        Map<String, Long> state = at(zxid);
        if (children != null) {
            Set<String> expected = new TreeSet<>();
            for (String path : state.keySet()) {
                expected.add(path.substring(PARENT.length() + 1));
            }
            return expected.equals(new TreeSet<>(children)) ? null : op + " shows " + new TreeSet<>(children) + " at "
                    + hex(zxid) + ", where the log has " + owners(state);
        }
        Long owner = state.get(op.path());
        long shown = stat == null ? 0 : stat.ephemeralOwner();
        return (owner == null ? stat == null : owner == shown) ? null : op + " shows " + (stat == null ? "no node"
                : "owner " + Long.toHexString(shown)) + " at " + hex(zxid) + ", where the log has " + owners(state);
    }

    // ---------------------------------------------------------------- the end

    /**
     * The silent client's session owned {@code paths} when it fell silent: null if each was its
     * session's from its create to the close of the session, and went exactly at that close.
     */
    String wentWithClose(long session, Set<String> paths) {
        Long close = closedAt.get(session);
        if (close == null) {
            return "session " + Long.toHexString(session) + " owned " + paths + " when its client fell silent but its close"
                    + " is not in the log";
        }
        for (String path : paths) {
            Lifetime l = lifetimes.containsKey(path) ? lifetime(path) : null;
            if (l == null || l.owner != session || l.ended != close || !l.byClose) {
                return "session " + Long.toHexString(session) + " owned " + path + " when its client fell silent, but "
                        + (l == null || l.owner != session ? "the log never gave it to the session" : "it went at "
                        + hex(l.ended) + (l.byClose ? "" : ", deleted") + ", and the session's close is " + hex(close));
            }
        }
        return null;
    }

    /** After convergence: {@code sm} holds the log's ephemerals, and none of a session it does not hold. */
    String converged(Member m, StateMachine sm) {
        String broken = compare("s" + m.id + " at the end", sm, now());
        if (broken != null) {
            return broken;
        }
        for (Map.Entry<String, Long> e : now().entrySet()) {
            if (!live.contains(e.getValue()) || sm.sessions().get(e.getValue()) == null) {
                return "s" + m.id + " ends with " + e.getKey() + " of session " + Long.toHexString(e.getValue())
                        + ", which is closed";
            }
        }
        return null;
    }

    int closesWithEphemerals() {
        int n = 0;
        for (List<Lifetime> all : lifetimes.values()) {
            for (Lifetime l : all) {
                n += l.byClose ? 1 : 0;
            }
        }
        return n;
    }

    private static String describe(TxnHeader h, Txn txn) {
        return txn + " of session " + Long.toHexString(h.sessionId()) + " xid " + h.cxid();
    }

    private static String hex(long zxid) {
        return Long.toHexString(zxid);
    }
}
