package io.paddock.server.txn;

import io.paddock.protocol.EventType;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.PathRules;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import io.paddock.server.tree.WatchRegistry;
import io.paddock.server.tree.Watcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The replicated state (tree and sessions) and the single function that applies a committed
 * txn to it: for live commits, log replay and sync from a leader alike. Deterministic; the
 * only side effect beyond the state is consuming one-shot watches, whose events are returned
 * for the caller to deliver.
 */
public final class StateMachine {
    private final DataTree tree;
    private final SessionTable sessions = new SessionTable();
    private final WatchRegistry watches = new WatchRegistry();
    private long lastZxid;

    public StateMachine(boolean extendedTypes) {
        this(new DataTree(extendedTypes), java.util.List.of(), 0);
    }

    /** State recovered from a snapshot taken at {@code zxid}; log replay continues from there. */
    public StateMachine(DataTree tree, Iterable<SessionTable.Entry> sessionEntries, long zxid) {
        this.tree = tree;
        for (SessionTable.Entry e : sessionEntries) {
            sessions.add(e);
        }
        this.lastZxid = zxid;
    }

    public DataTree tree() {
        return tree;
    }

    public SessionTable sessions() {
        return sessions;
    }

    public WatchRegistry watches() {
        return watches;
    }

    /** The zxid of the last applied txn. */
    public long lastZxid() {
        return lastZxid;
    }

    /**
     * Applies a committed txn. Zxids must follow on from the last one (the next counter of the same
     * epoch, or the first of a later epoch): anything else means a lost or repeated txn.
     */
    public ApplyResult apply(TxnHeader header, Txn txn, List<Notification> events) {
        long zxid = header.zxid();
        boolean sameEpoch = (zxid >>> 32) == (lastZxid >>> 32);
        if (sameEpoch ? zxid != lastZxid + 1 : (zxid >>> 32) < (lastZxid >>> 32) || (int) zxid != 1) {
            throw new IllegalStateException("zxid 0x" + Long.toHexString(zxid) + " does not follow 0x"
                    + Long.toHexString(lastZxid));
        }
        ApplyResult result = applyOne(header, txn, events);
        lastZxid = zxid;
        return result;
    }

    private ApplyResult applyOne(TxnHeader h, Txn txn, List<Notification> events) {
        if (txn instanceof Txn.CreateSession c) {
            sessions.add(new SessionTable.Entry(h.sessionId(), c.timeoutMs(), c.password()));
            return ApplyResult.of(OpCode.CREATE_SESSION);
        }
        if (txn instanceof Txn.CloseSession c) {
            for (String path : c.ephemerals()) {
                Node node = tree.get(path);
                if (node != null && node.ephemeralOwner() == h.sessionId()) {
                    delete(path, h.zxid(), events);
                }
            }
            // Anything the list missed still goes: a closed session owns nothing.
            for (String path : List.copyOf(tree.ephemeralsOf(h.sessionId()))) {
                delete(path, h.zxid(), events);
            }
            sessions.remove(h.sessionId());
            return ApplyResult.of(OpCode.CLOSE_SESSION);
        }
        if (txn instanceof Txn.Create c) {
            Node node = tree.create(c.path(), c.data(), c.acl(), c.ephemeralOwner(), h.zxid(), h.timeMs());
            notify(EventType.NODE_CREATED, c.path(), h.zxid(), node.acl(), watches.triggerDataEvent(c.path()), events);
            String parent = PathRules.parent(c.path());
            notify(EventType.NODE_CHILDREN_CHANGED, parent, h.zxid(), tree.get(parent).acl(),
                    watches.triggerChildrenChanged(parent), events);
            return new ApplyResult(c.resultType(), c.path(), node.stat(tree.extendedTypes()), List.of());
        }
        if (txn instanceof Txn.Delete d) {
            delete(d.path(), h.zxid(), events);
            return ApplyResult.of(OpCode.DELETE);
        }
        if (txn instanceof Txn.SetData s) {
            Node node = tree.setData(s.path(), s.data(), h.zxid(), h.timeMs());
            notify(EventType.NODE_DATA_CHANGED, s.path(), h.zxid(), node.acl(), watches.triggerDataEvent(s.path()), events);
            return new ApplyResult(OpCode.SET_DATA, null, node.stat(tree.extendedTypes()), List.of());
        }
        if (txn instanceof Txn.SetAcl s) {
            Node node = tree.setAcl(s.path(), s.acl(), h.zxid());
            return new ApplyResult(OpCode.SET_ACL, null, node.stat(tree.extendedTypes()), List.of());
        }
        if (txn instanceof Txn.Check c) {
            if (tree.get(c.path()) == null) {
                throw new IllegalStateException("check of missing " + c.path());
            }
            return ApplyResult.of(OpCode.CHECK);
        }
        if (txn instanceof Txn.Error || txn instanceof Txn.FailedMulti || txn instanceof Txn.Barrier) {
            // A refused write or a sync: its zxid is used up, nothing else changes.
            return ApplyResult.of(OpCode.ERROR);
        }
        if (txn instanceof Txn.Multi m) {
            List<ApplyResult> subs = new ArrayList<>(m.ops().size());
            for (Txn op : m.ops()) {
                if (op instanceof Txn.Multi || op instanceof Txn.CreateSession || op instanceof Txn.CloseSession
                        || op instanceof Txn.Error || op instanceof Txn.FailedMulti || op instanceof Txn.Barrier) {
                    throw new IllegalStateException("not allowed inside a multi: " + op);
                }
                subs.add(applyOne(h, op, events));
            }
            return new ApplyResult(OpCode.MULTI, null, null, subs);
        }
        throw new IllegalStateException("unknown txn " + txn);
    }

    private void delete(String path, long zxid, List<Notification> events) {
        Node node = tree.delete(path, zxid);
        notify(EventType.NODE_DELETED, path, zxid, node.acl(), watches.triggerDeleted(path), events);
        String parent = PathRules.parent(path);
        notify(EventType.NODE_CHILDREN_CHANGED, parent, zxid, tree.get(parent).acl(),
                watches.triggerChildrenChanged(parent), events);
    }

    private static void notify(EventType type, String path, long zxid, List<io.paddock.protocol.ACL> acl,
                               Set<Watcher> watchers, List<Notification> events) {
        if (!watchers.isEmpty()) {
            events.add(new Notification(type.code(), path, zxid, acl, watchers));
        }
    }
}
