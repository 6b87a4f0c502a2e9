package io.paddock.server.core;

import io.paddock.protocol.ACL;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.AddWatchRequest;
import io.paddock.protocol.CheckWatchesRequest;
import io.paddock.protocol.ClientInfo;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.ErrorResponse;
import io.paddock.protocol.EventType;
import io.paddock.protocol.ExistsRequest;
import io.paddock.protocol.ExistsResponse;
import io.paddock.protocol.GetACLRequest;
import io.paddock.protocol.GetACLResponse;
import io.paddock.protocol.GetAllChildrenNumberRequest;
import io.paddock.protocol.GetAllChildrenNumberResponse;
import io.paddock.protocol.GetChildren2Request;
import io.paddock.protocol.GetChildren2Response;
import io.paddock.protocol.GetChildrenRequest;
import io.paddock.protocol.GetChildrenResponse;
import io.paddock.protocol.GetDataRequest;
import io.paddock.protocol.GetDataResponse;
import io.paddock.protocol.GetEphemeralsRequest;
import io.paddock.protocol.GetEphemeralsResponse;
import io.paddock.protocol.Id;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.MultiResponse;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.OpResult;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.RemoveWatchesRequest;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.SetWatches2;
import io.paddock.protocol.SyncRequest;
import io.paddock.protocol.SyncResponse;
import io.paddock.protocol.WatcherEvent;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.WhoAmIResponse;
import io.paddock.protocol.Xid;
import io.paddock.server.auth.Acls;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import io.paddock.server.tree.WatchRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes read-side requests against the applied tree: the reads themselves, watch
 * registration and removal, whoAmI, sync (standalone) and multiRead. Core thread only.
 */
final class Reads {
    /** An answer: error code and, when it is 0, the response record (or null for none). */
    record Answer(int err, Record response) {
        static Answer error(ErrorCode code) {
            return new Answer(code.code(), null);
        }
    }

    private static final Answer OK_EMPTY = new Answer(0, null);

    private static final Logger LOG = LoggerFactory.getLogger(Reads.class);

    private final DataTree tree;
    private final WatchRegistry watches;
    private final boolean skipAcl;
    private final Sink sink;
    /** paddock.maxWatchesPerSession: watches one connection may hold. */
    private final int maxWatches;
    /** Watch requests refused for the limit, for a log that halves its rate as they repeat. */
    private long refusals;

    /** Where catch-up events of setWatches go, ahead of the reply. */
    interface Sink {
        void send(Connection conn, ReplyHeader header, Record body);
    }

    Reads(DataTree tree, WatchRegistry watches, boolean skipAcl, int maxWatches, Sink sink) {
        this.tree = tree;
        this.watches = watches;
        this.skipAcl = skipAcl;
        this.maxWatches = maxWatches;
        this.sink = sink;
    }

    /**
     * Whether adding {@code more} watches would take the connection past paddock.maxWatchesPerSession.
     * The request is then answered QuotaExceeded (Apache's client throws QuotaExceededException and
     * registers no watch) and the connection stays open: closing it would only make the client
     * reconnect and send the same setWatches again.
     */
    private boolean overLimit(Connection conn, long more) {
        return watches.watchCountOf(conn) + more > maxWatches;
    }

    /** Over the limit with one more watch, unless the connection already holds this one (a repeat adds nothing). */
    private boolean refuseWatch(Connection conn, String path, WatcherType type) {
        if (!overLimit(conn, 1) || watches.hasWatch(path, type, conn)) {
            return false;
        }
        logRefusal(conn, "a watch on " + path);
        return true;
    }

    /**
     * Logs the 1st, 2nd, 4th, 8th... refusal: a client that keeps trying costs the log a line per
     * doubling, without a clock in the core.
     */
    private void logRefusal(Connection conn, String what) {
        refusals++;
        if (Long.bitCount(refusals) == 1) {
            LOG.warn("refused {} from session 0x{} at {}: it holds {} watches, limit paddock.maxWatchesPerSession={}"
                            + " ({} refusals so far)", what, Long.toHexString(conn.sessionId()), conn.remoteAddress(),
                    watches.watchCountOf(conn), maxWatches, refusals);
        }
    }

    private boolean allowed(Node node, int perm, List<Id> ids) {
        return Acls.allowed(node.acl(), perm, ids, skipAcl);
    }

    /** Executes a read for a connection whose identities were {@code ids} when the request arrived. */
    Answer execute(Connection conn, List<Id> ids, int op, Record body) {
        return switch (op) {
            case OpCode.PING -> OK_EMPTY;
            case OpCode.EXISTS -> exists(conn, ids, (ExistsRequest) body);
            case OpCode.GET_DATA -> getData(conn, ids, ((GetDataRequest) body).path(), ((GetDataRequest) body).watch());
            case OpCode.GET_ACL -> getAcl(ids, (GetACLRequest) body);
            case OpCode.GET_CHILDREN -> getChildren(conn, ids, ((GetChildrenRequest) body).path(),
                    ((GetChildrenRequest) body).watch(), false);
            case OpCode.GET_CHILDREN2 -> getChildren(conn, ids, ((GetChildren2Request) body).path(),
                    ((GetChildren2Request) body).watch(), true);
            case OpCode.GET_ALL_CHILDREN_NUMBER -> allChildrenNumber(ids, (GetAllChildrenNumberRequest) body);
            case OpCode.GET_EPHEMERALS -> ephemerals(conn, (GetEphemeralsRequest) body);
            case OpCode.SYNC -> new Answer(0, new SyncResponse(((SyncRequest) body).path()));
            case OpCode.CHECK_WATCHES -> checkWatches(conn, (CheckWatchesRequest) body);
            case OpCode.REMOVE_WATCHES -> removeWatches(conn, (RemoveWatchesRequest) body);
            case OpCode.ADD_WATCH -> addWatch(conn, (AddWatchRequest) body);
            case OpCode.WHO_AM_I -> whoAmI(ids);
            case OpCode.SET_WATCHES, OpCode.SET_WATCHES2 -> setWatches(conn, (SetWatches2) body);
            case OpCode.MULTI_READ -> multiRead(conn, ids, (MultiRequest) body);
            default -> throw new IllegalArgumentException("not a read op: " + op);
        };
    }

    private Answer exists(Connection conn, List<Id> ids, ExistsRequest r) {
        String path = r.path();
        if (path == null || path.indexOf('\0') >= 0) {
            return Answer.error(ErrorCode.BAD_ARGUMENTS);
        }
        Node node = tree.get(path);
        if (node == null) {
            if (r.watch()) {
                if (refuseWatch(conn, path, WatcherType.DATA)) {
                    return Answer.error(ErrorCode.QUOTA_EXCEEDED);
                }
                watches.addDataWatch(path, conn);
            }
            return Answer.error(ErrorCode.NO_NODE);
        }
        if (!allowed(node, Perms.READ, ids)) {
            return Answer.error(ErrorCode.NO_AUTH);
        }
        if (r.watch()) {
            if (refuseWatch(conn, path, WatcherType.DATA)) {
                return Answer.error(ErrorCode.QUOTA_EXCEEDED);
            }
            watches.addDataWatch(path, conn);
        }
        return new Answer(0, new ExistsResponse(node.stat(tree.extendedTypes())));
    }

    private Answer getData(Connection conn, List<Id> ids, String path, boolean watch) {
        Node node = path == null ? null : tree.get(path);
        if (node == null) {
            return Answer.error(ErrorCode.NO_NODE);
        }
        if (!allowed(node, Perms.READ, ids)) {
            return Answer.error(ErrorCode.NO_AUTH);
        }
        if (watch) {
            if (refuseWatch(conn, path, WatcherType.DATA)) {
                return Answer.error(ErrorCode.QUOTA_EXCEEDED);
            }
            watches.addDataWatch(path, conn);
        }
        return new Answer(0, new GetDataResponse(node.data(), node.stat(tree.extendedTypes())));
    }

    private Answer getAcl(List<Id> ids, GetACLRequest r) {
        Node node = r.path() == null ? null : tree.get(r.path());
        if (node == null) {
            return Answer.error(ErrorCode.NO_NODE);
        }
        boolean admin = allowed(node, Perms.ADMIN, ids);
        if (!admin && !allowed(node, Perms.READ, ids)) {
            return Answer.error(ErrorCode.NO_AUTH);
        }
        List<ACL> acl = admin ? node.acl() : Acls.masked(node.acl());
        return new Answer(0, new GetACLResponse(acl, node.stat(tree.extendedTypes())));
    }

    private Answer getChildren(Connection conn, List<Id> ids, String path, boolean watch, boolean withStat) {
        Node node = path == null ? null : tree.get(path);
        if (node == null) {
            return Answer.error(ErrorCode.NO_NODE);
        }
        if (!allowed(node, Perms.READ, ids)) {
            return Answer.error(ErrorCode.NO_AUTH);
        }
        if (watch) {
            if (refuseWatch(conn, path, WatcherType.CHILDREN)) {
                return Answer.error(ErrorCode.QUOTA_EXCEEDED);
            }
            watches.addChildWatch(path, conn);
        }
        List<String> children = node.childNames();
        return new Answer(0, withStat
                ? new GetChildren2Response(children, node.stat(tree.extendedTypes()))
                : new GetChildrenResponse(children));
    }

    private Answer allChildrenNumber(List<Id> ids, GetAllChildrenNumberRequest r) {
        Node node = r.path() == null ? null : tree.get(r.path());
        if (node == null) {
            return Answer.error(ErrorCode.NO_NODE);
        }
        if (!allowed(node, Perms.READ, ids)) {
            return Answer.error(ErrorCode.NO_AUTH);
        }
        return new Answer(0, new GetAllChildrenNumberResponse(tree.countDescendants(r.path())));
    }

    private Answer ephemerals(Connection conn, GetEphemeralsRequest r) {
        String prefix = r.prefixPath();
        boolean all = prefix == null || prefix.isBlank() || prefix.equals("/");
        List<String> out = new ArrayList<>();
        for (String path : tree.ephemeralsOf(conn.sessionId())) {
            if (all || path.startsWith(prefix)) {
                out.add(path);
            }
        }
        return new Answer(0, new GetEphemeralsResponse(out));
    }

    private Answer checkWatches(Connection conn, CheckWatchesRequest r) {
        WatcherType type = WatcherType.fromCode(r.type());
        if (type == null) {
            return Answer.error(ErrorCode.MARSHALLING_ERROR);
        }
        return watches.hasWatch(r.path(), type, conn) ? OK_EMPTY : Answer.error(ErrorCode.NO_WATCHER);
    }

    private Answer removeWatches(Connection conn, RemoveWatchesRequest r) {
        WatcherType type = WatcherType.fromCode(r.type());
        if (type == null) {
            return Answer.error(ErrorCode.MARSHALLING_ERROR);
        }
        return watches.removeWatch(r.path(), type, conn) ? OK_EMPTY : Answer.error(ErrorCode.NO_WATCHER);
    }

    private Answer addWatch(Connection conn, AddWatchRequest r) {
        AddWatchMode mode = AddWatchMode.fromCode(r.mode());
        if (mode == null || r.path() == null) {
            return Answer.error(ErrorCode.MARSHALLING_ERROR);
        }
        WatcherType type = mode == AddWatchMode.PERSISTENT ? WatcherType.PERSISTENT : WatcherType.PERSISTENT_RECURSIVE;
        if (refuseWatch(conn, r.path(), type)) {
            return Answer.error(ErrorCode.QUOTA_EXCEEDED);
        }
        if (mode == AddWatchMode.PERSISTENT) {
            watches.addPersistentWatch(r.path(), conn);
        } else {
            watches.addRecursiveWatch(r.path(), conn);
        }
        return new Answer(0, new ErrorResponse(0));
    }

    private Answer whoAmI(List<Id> ids) {
        Set<ClientInfo> infos = new LinkedHashSet<>();
        for (Id id : ids) {
            String user = switch (id.scheme()) {
                case "digest" -> id.id().substring(0, Math.max(0, id.id().indexOf(':')));
                case "super" -> "";
                default -> id.id();
            };
            infos.add(new ClientInfo(id.scheme(), user));
        }
        return new Answer(0, new WhoAmIResponse(new ArrayList<>(infos)));
    }

    /**
     * Re-registers watches after a reconnect, sending at once the events the client missed. A
     * request naming more paths than the connection may still watch is refused whole, before any
     * work: no watch is set and no catch-up event is queued, so neither grows with the request.
     * (Apache's client sends its watches in setWatches of at most 128 KiB each and ignores their
     * answer: the watches of a refused one are then not set, and the server's log says so.)
     */
    private Answer setWatches(Connection conn, SetWatches2 r) {
        long named = (long) nonNull(r.dataWatches()).size() + nonNull(r.existWatches()).size()
                + nonNull(r.childWatches()).size() + nonNull(r.persistentWatches()).size()
                + nonNull(r.persistentRecursiveWatches()).size();
        if (overLimit(conn, named)) {
            logRefusal(conn, "setWatches naming " + named + " paths");
            return Answer.error(ErrorCode.QUOTA_EXCEEDED);
        }
        long rel = r.relativeZxid();
        for (String path : nonNull(r.dataWatches())) {
            Node node = tree.get(path);
            if (node == null) {
                catchUp(conn, EventType.NODE_DELETED, path);
            } else if (node.mzxid() > rel) {
                catchUp(conn, EventType.NODE_DATA_CHANGED, path);
            } else {
                watches.addDataWatch(path, conn);
            }
        }
        for (String path : nonNull(r.existWatches())) {
            if (tree.get(path) != null) {
                catchUp(conn, EventType.NODE_CREATED, path);
            } else {
                watches.addDataWatch(path, conn);
            }
        }
        for (String path : nonNull(r.childWatches())) {
            Node node = tree.get(path);
            if (node == null) {
                catchUp(conn, EventType.NODE_DELETED, path);
            } else if (node.pzxid() > rel) {
                catchUp(conn, EventType.NODE_CHILDREN_CHANGED, path);
            } else {
                watches.addChildWatch(path, conn);
            }
        }
        for (String path : nonNull(r.persistentWatches())) {
            watches.addPersistentWatch(path, conn);
        }
        for (String path : nonNull(r.persistentRecursiveWatches())) {
            watches.addRecursiveWatch(path, conn);
        }
        return OK_EMPTY;
    }

    private static List<String> nonNull(List<String> paths) {
        return paths == null ? List.of() : paths;
    }

    private void catchUp(Connection conn, EventType type, String path) {
        sink.send(conn, new ReplyHeader(Xid.NOTIFICATION, -1L, 0),
                new WatcherEvent(type.code(), KeeperState.SYNC_CONNECTED.code(), path));
    }

    private Answer multiRead(Connection conn, List<Id> ids, MultiRequest r) {
        List<OpResult> results = new ArrayList<>(r.ops().size());
        for (MultiOp op : r.ops()) {
            Answer a = op.type() == OpCode.GET_DATA
                    ? getData(conn, ids, ((GetDataRequest) op.request()).path(), false)
                    : getChildren(conn, ids, ((GetChildrenRequest) op.request()).path(), false, false);
            results.add(a.err() != 0 ? OpResult.error(a.err()) : new OpResult(op.type(), 0, a.response()));
        }
        return new Answer(0, new MultiResponse(results));
    }
}
