package io.paddock.server.prep;

import io.paddock.protocol.ACL;
import io.paddock.protocol.CheckVersionRequest;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.CreateTTLRequest;
import io.paddock.protocol.DeleteContainerRequest;
import io.paddock.protocol.DeleteRequest;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Id;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.OpResult;
import io.paddock.protocol.PathRules;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.SetACLRequest;
import io.paddock.protocol.SetDataRequest;
import io.paddock.server.auth.Acls;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.NodeKind;
import io.paddock.server.txn.Txn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a write request into a txn, or an error, with the checks in the order Apache ZooKeeper
 * makes them. Reads the tree through the pending changes of txns not yet applied, so a request
 * sees every earlier one's outcome. Runs on the apply thread; never mutates the tree.
 */
public final class Prep {
    private final DataTree tree;
    private final PendingChanges pending;
    private final boolean extendedTypes;
    private final boolean skipAcl;
    private final QuotaGuard quotas;

    public Prep(DataTree tree, boolean skipAcl) {
        this(tree, skipAcl, QuotaGuard.OFF);
    }

    public Prep(DataTree tree, boolean skipAcl, QuotaGuard quotas) {
        this.tree = tree;
        this.pending = new PendingChanges(tree);
        this.extendedTypes = tree.extendedTypes();
        this.skipAcl = skipAcl;
        this.quotas = quotas;
    }

    /** Called after the apply thread applied up to zxid: drops pending state the tree now shows. */
    public void appliedUpTo(long zxid) {
        pending.appliedUpTo(zxid);
    }

    /** Forgets pending state after proposals were abandoned. */
    public void abandonPending() {
        pending.clear();
    }

    /** A failed check: carries the error code out of nested validation. */
    private static final class Failure extends RuntimeException {
        final int err;

        Failure(ErrorCode code) {
            super(code.name(), null, false, false);
            this.err = code.code();
        }
    }

    private static Failure fail(ErrorCode code) {
        return new Failure(code);
    }

    /** Changes made by one request, over the pending changes; merged only if the request succeeds. */
    private final class Scratch {
        private final Map<String, NodeView> changes = new HashMap<>();

        NodeView get(String path) {
            if (changes.containsKey(path)) {
                return changes.get(path);
            }
            return pending.lookup(path);
        }

        void put(String path, NodeView view) {
            changes.put(path, view);
        }

        void commit(long zxid) {
            for (Map.Entry<String, NodeView> e : changes.entrySet()) {
                pending.record(e.getKey(), e.getValue(), zxid);
            }
        }
    }

    /** Prepares a write request (create*, delete*, setData, setACL, multi) for the given session. */
    public PrepOutcome prepare(int op, Record body, long sessionId, List<Id> identities, long zxid) {
        Scratch scratch = new Scratch();
        if (op == OpCode.MULTI) {
            return prepareMulti((MultiRequest) body, sessionId, identities, zxid, scratch);
        }
        try {
            Txn txn = prepareOne(op, body, sessionId, identities, scratch, false);
            scratch.commit(zxid);
            return new PrepOutcome.Accepted(txn);
        } catch (Failure f) {
            return new PrepOutcome.Rejected(f.err);
        }
    }

    private PrepOutcome prepareMulti(MultiRequest multi, long sessionId, List<Id> identities, long zxid, Scratch scratch) {
        List<Txn> txns = new ArrayList<>(multi.ops().size());
        for (int i = 0; i < multi.ops().size(); i++) {
            MultiOp op = multi.ops().get(i);
            try {
                txns.add(prepareOne(op.type(), op.request(), sessionId, identities, scratch, true));
            } catch (Failure f) {
                List<OpResult> results = new ArrayList<>(multi.ops().size());
                for (int j = 0; j < multi.ops().size(); j++) {
                    int err = j < i ? ErrorCode.OK.code() : j == i ? f.err : ErrorCode.RUNTIME_INCONSISTENCY.code();
                    results.add(OpResult.error(err));
                }
                return new PrepOutcome.MultiFailed(results);
            }
        }
        scratch.commit(zxid);
        return new PrepOutcome.Accepted(new Txn.Multi(txns));
    }

    private Txn prepareOne(int op, Record body, long sessionId, List<Id> ids, Scratch s, boolean inMulti) {
        return switch (op) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> {
                CreateRequest r = (CreateRequest) body;
                yield create(op, r.path(), r.data(), r.acl(), r.flags(), 0, sessionId, ids, s, inMulti);
            }
            case OpCode.CREATE_TTL -> {
                CreateTTLRequest r = (CreateTTLRequest) body;
                yield create(op, r.path(), r.data(), r.acl(), r.flags(), r.ttl(), sessionId, ids, s, inMulti);
            }
            case OpCode.DELETE -> {
                DeleteRequest r = (DeleteRequest) body;
                yield delete(r.path(), r.version(), ids, s, false);
            }
            case OpCode.DELETE_CONTAINER -> delete(((DeleteContainerRequest) body).path(), -1, ids, s, true);
            case OpCode.SET_DATA -> setData((SetDataRequest) body, ids, s);
            case OpCode.SET_ACL -> setAcl((SetACLRequest) body, ids, s);
            case OpCode.CHECK -> check((CheckVersionRequest) body, ids, s);
            default -> throw new IllegalArgumentException("not a write op: " + op);
        };
    }

    private void requirePerm(NodeView node, int perm, List<Id> ids) {
        if (!Acls.allowed(node.acl(), perm, ids, skipAcl)) {
            throw fail(ErrorCode.NO_AUTH);
        }
    }

    private static void requireValidPath(String path) {
        if (!PathRules.isValid(path)) {
            throw fail(ErrorCode.BAD_ARGUMENTS);
        }
    }

    private static void requireVersion(int expected, int actual) {
        if (expected != -1 && expected != actual) {
            throw fail(ErrorCode.BAD_VERSION);
        }
    }

    private Txn create(int op, String path, byte[] data, List<ACL> acl, int flags, long ttl, long sessionId,
                       List<Id> ids, Scratch s, boolean inMulti) {
        CreateMode mode = CreateMode.fromFlag(flags);
        if (mode == null) {
            throw fail(ErrorCode.BAD_ARGUMENTS);
        }
        boolean container;
        long owner;
        int resultType;
        if (op == OpCode.CREATE_TTL) {
            if (!mode.isTtl()) {
                throw fail(ErrorCode.BAD_ARGUMENTS);
            }
            if (!extendedTypes) {
                throw fail(ErrorCode.UNIMPLEMENTED);
            }
            if (ttl <= 0 || ttl > NodeKind.MAX_TTL_MS) {
                throw fail(ErrorCode.BAD_ARGUMENTS);
            }
            container = false;
            owner = NodeKind.ttlOwner(ttl);
            resultType = OpCode.CREATE2;
        } else {
            if (mode.isTtl()) {
                throw fail(extendedTypes ? ErrorCode.BAD_ARGUMENTS : ErrorCode.UNIMPLEMENTED);
            }
            // The op code decides container-ness; inside a multi a create with the container flag is
            // re-typed to a container, as Apache's multi decoding does.
            container = op == OpCode.CREATE_CONTAINER || (inMulti && mode.isContainer());
            owner = container ? NodeKind.CONTAINER_MARKER : mode.isEphemeral() ? sessionId : 0;
            resultType = container || op == OpCode.CREATE2 ? OpCode.CREATE2 : OpCode.CREATE;
        }
        if (path == null || path.indexOf('/') < 0 || path.indexOf('\0') >= 0) {
            throw fail(ErrorCode.BAD_ARGUMENTS);
        }
        List<ACL> finalAcl = Acls.validateAndExpand(acl, ids);
        if (finalAcl == null) {
            throw fail(ErrorCode.INVALID_ACL);
        }
        String parentPath = parentOf(path);
        NodeView parent = s.get(parentPath);
        if (parent == null) {
            throw fail(ErrorCode.NO_NODE);
        }
        requirePerm(parent, Perms.CREATE, ids);
        String fullPath = mode.isSequential() ? path + String.format(Locale.ENGLISH, "%010d", parent.childCreates()) : path;
        requireValidPath(fullPath);
        if (s.get(fullPath) != null) {
            throw fail(ErrorCode.NODE_EXISTS);
        }
        if (NodeKind.isEphemeral(parent.ephemeralOwner(), extendedTypes)) {
            throw fail(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
        }
        if (quotas.refuses(tree, fullPath, 1, data == null ? 0 : data.length)) {
            throw fail(ErrorCode.QUOTA_EXCEEDED);
        }
        s.put(parentPath, parent.withChildAdded());
        s.put(fullPath, new NodeView(finalAcl, 0, 0, 0, 0, owner));
        return new Txn.Create(fullPath, data, finalAcl, owner, resultType);
    }

    /** The text before the last slash; "/" for top-level paths. */
    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    private Txn delete(String path, int version, List<Id> ids, Scratch s, boolean containerDelete) {
        if (path == null || path.indexOf('/') < 0 || path.indexOf('\0') >= 0 || DataTree.isSystemPath(path)) {
            throw fail(ErrorCode.BAD_ARGUMENTS);
        }
        String parentPath = parentOf(path);
        NodeView parent = s.get(parentPath);
        if (parent == null) {
            throw fail(ErrorCode.NO_NODE);
        }
        requirePerm(parent, Perms.DELETE, ids);
        NodeView node = s.get(path);
        if (node == null) {
            throw fail(ErrorCode.NO_NODE);
        }
        if (containerDelete && NodeKind.isEphemeral(node.ephemeralOwner(), extendedTypes)) {
            throw fail(ErrorCode.BAD_VERSION);
        }
        requireVersion(version, node.version());
        if (node.numChildren() > 0) {
            throw fail(ErrorCode.NOT_EMPTY);
        }
        s.put(path, null);
        s.put(parentPath, parent.withChildRemoved());
        return new Txn.Delete(path);
    }

    private Txn setData(SetDataRequest r, List<Id> ids, Scratch s) {
        requireValidPath(r.path());
        NodeView node = s.get(r.path());
        if (node == null) {
            throw fail(ErrorCode.NO_NODE);
        }
        requirePerm(node, Perms.WRITE, ids);
        if (quotas.enforced()) {
            // Against the data as applied, as the usage it is compared with is.
            io.paddock.server.tree.Node applied = tree.get(r.path());
            long before = applied == null || applied.data() == null ? 0 : applied.data().length;
            if (quotas.refuses(tree, r.path(), 0, (r.data() == null ? 0 : r.data().length) - before)) {
                throw fail(ErrorCode.QUOTA_EXCEEDED);
            }
        }
        requireVersion(r.version(), node.version());
        s.put(r.path(), node.withVersion(node.version() + 1));
        return new Txn.SetData(r.path(), r.data());
    }

    private Txn setAcl(SetACLRequest r, List<Id> ids, Scratch s) {
        requireValidPath(r.path());
        List<ACL> finalAcl = Acls.validateAndExpand(r.acl(), ids);
        if (finalAcl == null) {
            throw fail(ErrorCode.INVALID_ACL);
        }
        NodeView node = s.get(r.path());
        if (node == null) {
            throw fail(ErrorCode.NO_NODE);
        }
        requirePerm(node, Perms.ADMIN, ids);
        requireVersion(r.version(), node.aversion());
        s.put(r.path(), node.withAcl(finalAcl, node.aversion() + 1));
        return new Txn.SetAcl(r.path(), finalAcl);
    }

    private Txn check(CheckVersionRequest r, List<Id> ids, Scratch s) {
        requireValidPath(r.path());
        NodeView node = s.get(r.path());
        if (node == null) {
            throw fail(ErrorCode.NO_NODE);
        }
        requirePerm(node, Perms.READ, ids);
        requireVersion(r.version(), node.version());
        return new Txn.Check(r.path());
    }

    /**
     * Closes a session: its ephemerals (applied and pending) will be gone. Apply deletes whatever
     * the session owns at that point, which is exactly this set.
     */
    public Txn prepareCloseSession(long sessionId, long zxid) {
        // The session's set as applied, adjusted by pending changes in the order they were made:
        // the iteration order of this set is the deletion order Apache ZooKeeper uses.
        java.util.HashSet<String> owned = tree.ephemeralsCopyOf(sessionId);
        for (Map.Entry<String, NodeView> e : pending.pendingInOrder()) {
            if (e.getValue() == null) {
                owned.remove(e.getKey());
            } else if (e.getValue().ephemeralOwner() == sessionId) {
                owned.add(e.getKey());
            }
        }
        List<String> order = new ArrayList<>(owned);
        Scratch s = new Scratch();
        for (String path : order) {
            NodeView node = s.get(path);
            if (node == null || node.ephemeralOwner() != sessionId) {
                continue;
            }
            s.put(path, null);
            String parentPath = parentOf(path);
            NodeView parent = s.get(parentPath);
            if (parent != null) {
                s.put(parentPath, parent.withChildRemoved());
            }
        }
        s.commit(zxid);
        return new Txn.CloseSession(order);
    }

    /**
     * The reaper's delete of an empty container or expired TTL node, re-checked against pending
     * changes: null if the node is gone or gained a child meanwhile.
     */
    public Txn prepareReap(String path, long zxid) {
        Scratch s = new Scratch();
        NodeView node = s.get(path);
        NodeView parent = s.get(parentOf(path));
        if (node == null || parent == null || node.numChildren() > 0) {
            return null;
        }
        s.put(path, null);
        s.put(parentOf(path), parent.withChildRemoved());
        s.commit(zxid);
        return new Txn.Delete(path);
    }
}
