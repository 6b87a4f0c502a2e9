package io.paddock.client;

import io.paddock.protocol.ACL;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.AddWatchRequest;
import io.paddock.protocol.AuthPacket;
import io.paddock.protocol.ClientInfo;
import io.paddock.protocol.Create2Response;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.CreateResponse;
import io.paddock.protocol.CreateTTLRequest;
import io.paddock.protocol.DeleteRequest;
import io.paddock.protocol.ErrorCode;
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
import io.paddock.protocol.GetSASLRequest;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.MultiResponse;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.OpResult;
import io.paddock.protocol.RemoveWatchesRequest;
import io.paddock.protocol.SetACLRequest;
import io.paddock.protocol.SetACLResponse;
import io.paddock.protocol.SetDataRequest;
import io.paddock.protocol.SetDataResponse;
import io.paddock.protocol.SetSASLResponse;
import io.paddock.protocol.Stat;
import io.paddock.protocol.SyncRequest;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.WhoAmIResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link Call} for each operation: the request record with server paths, and the
 * reader that turns the reply into the caller's value, registering the watch the request asked
 * for when (and only when) the server registered it too.
 */
final class Requests {
    private Requests() {
    }

    static ErrorCode code(int err) {
        ErrorCode code = ErrorCode.fromCode(err);
        return code != null ? code : ErrorCode.SYSTEM_ERROR;
    }

    private static void check(int err, String path) {
        if (err != 0) {
            throw new PaddockException(code(err), path);
        }
    }

    static Call<String> create(Chroot chroot, String path, byte[] data, List<ACL> acl, CreateMode mode) {
        validateCreate(path, acl, mode);
        if (mode.isTtl()) {
            throw new IllegalArgumentException(mode + " needs a ttl: use createTtl");
        }
        CreateRequest body = new CreateRequest(chroot.toServer(path), data, acl, mode.flag());
        if (mode.isContainer()) {
            return new Call<>(OpCode.CREATE_CONTAINER, body, path, (err, in) -> {
                check(err, path);
                return chroot.toClient(Create2Response.readFrom(in).path());
            });
        }
        return new Call<>(OpCode.CREATE, body, path, (err, in) -> {
            check(err, path);
            return chroot.toClient(CreateResponse.readFrom(in).path());
        });
    }

    static Call<Created> createWithStat(Chroot chroot, String path, byte[] data, List<ACL> acl, CreateMode mode) {
        validateCreate(path, acl, mode);
        if (mode.isTtl()) {
            throw new IllegalArgumentException(mode + " needs a ttl: use createTtl");
        }
        int op = mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2;
        return new Call<>(op, new CreateRequest(chroot.toServer(path), data, acl, mode.flag()), path,
                (err, in) -> created(chroot, err, path, in));
    }

    static Call<Created> createTtl(Chroot chroot, String path, byte[] data, List<ACL> acl, CreateMode mode, long ttlMs) {
        validateCreate(path, acl, mode);
        if (!mode.isTtl()) {
            throw new IllegalArgumentException("createTtl needs a TTL mode, not " + mode);
        }
        if (ttlMs <= 0) {
            throw new IllegalArgumentException("ttl must be positive: " + ttlMs);
        }
        return new Call<>(OpCode.CREATE_TTL, new CreateTTLRequest(chroot.toServer(path), data, acl, mode.flag(), ttlMs),
                path, (err, in) -> created(chroot, err, path, in));
    }

    private static Created created(Chroot chroot, int err, String path, io.paddock.protocol.JuteInput in) {
        check(err, path);
        Create2Response r = Create2Response.readFrom(in);
        return new Created(chroot.toClient(r.path()), r.stat());
    }

    static void validateCreate(String path, List<ACL> acl, CreateMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("create mode is null");
        }
        if (mode.isSequential()) {
            Chroot.validateSequential(path);
        } else {
            Chroot.validate(path);
        }
        if (acl == null || acl.isEmpty()) {
            throw new IllegalArgumentException("ACL list is null or empty");
        }
    }

    static Call<Void> delete(Chroot chroot, String path, int version) {
        Chroot.validate(path);
        return new Call<>(OpCode.DELETE, new DeleteRequest(chroot.toServer(path), version), path, (err, in) -> {
            check(err, path);
            return null;
        });
    }

    /** exists: null for a missing node; a watcher then waits for the node's creation. */
    static Call<Stat> exists(Chroot chroot, WatchManager watches, String path, Watcher watcher) {
        Chroot.validate(path);
        return new Call<>(OpCode.EXISTS, new ExistsRequest(chroot.toServer(path), watcher != null), path, (err, in) -> {
            if (err == ErrorCode.NO_NODE.code()) {
                if (watcher != null) {
                    watches.add(WatchManager.Kind.EXIST, path, watcher);
                }
                return null;
            }
            check(err, path);
            if (watcher != null) {
                watches.add(WatchManager.Kind.DATA, path, watcher);
            }
            return ExistsResponse.readFrom(in).stat();
        });
    }

    static Call<NodeData> getData(Chroot chroot, WatchManager watches, String path, Watcher watcher) {
        Chroot.validate(path);
        return new Call<>(OpCode.GET_DATA, new GetDataRequest(chroot.toServer(path), watcher != null), path, (err, in) -> {
            check(err, path);
            if (watcher != null) {
                watches.add(WatchManager.Kind.DATA, path, watcher);
            }
            GetDataResponse r = GetDataResponse.readFrom(in);
            return new NodeData(r.data(), r.stat());
        });
    }

    static Call<Stat> setData(Chroot chroot, String path, byte[] data, int version) {
        Chroot.validate(path);
        return new Call<>(OpCode.SET_DATA, new SetDataRequest(chroot.toServer(path), data, version), path, (err, in) -> {
            check(err, path);
            return SetDataResponse.readFrom(in).stat();
        });
    }

    static Call<NodeAcl> getAcl(Chroot chroot, String path) {
        Chroot.validate(path);
        return new Call<>(OpCode.GET_ACL, new GetACLRequest(chroot.toServer(path)), path, (err, in) -> {
            check(err, path);
            GetACLResponse r = GetACLResponse.readFrom(in);
            return new NodeAcl(r.acl(), r.stat());
        });
    }

    static Call<Stat> setAcl(Chroot chroot, String path, List<ACL> acl, int aclVersion) {
        Chroot.validate(path);
        if (acl == null || acl.isEmpty()) {
            throw new IllegalArgumentException("ACL list is null or empty");
        }
        return new Call<>(OpCode.SET_ACL, new SetACLRequest(chroot.toServer(path), acl, aclVersion), path, (err, in) -> {
            check(err, path);
            return SetACLResponse.readFrom(in).stat();
        });
    }

    static Call<List<String>> getChildren(Chroot chroot, WatchManager watches, String path, Watcher watcher) {
        Chroot.validate(path);
        return new Call<>(OpCode.GET_CHILDREN, new GetChildrenRequest(chroot.toServer(path), watcher != null), path,
                (err, in) -> {
                    check(err, path);
                    if (watcher != null) {
                        watches.add(WatchManager.Kind.CHILD, path, watcher);
                    }
                    return GetChildrenResponse.readFrom(in).children();
                });
    }

    static Call<ChildList> getChildren2(Chroot chroot, WatchManager watches, String path, Watcher watcher) {
        Chroot.validate(path);
        return new Call<>(OpCode.GET_CHILDREN2, new GetChildren2Request(chroot.toServer(path), watcher != null), path,
                (err, in) -> {
                    check(err, path);
                    if (watcher != null) {
                        watches.add(WatchManager.Kind.CHILD, path, watcher);
                    }
                    GetChildren2Response r = GetChildren2Response.readFrom(in);
                    return new ChildList(r.children(), r.stat());
                });
    }

    static Call<Integer> getAllChildrenNumber(Chroot chroot, String path) {
        Chroot.validate(path);
        return new Call<>(OpCode.GET_ALL_CHILDREN_NUMBER, new GetAllChildrenNumberRequest(chroot.toServer(path)), path,
                (err, in) -> {
                    check(err, path);
                    return GetAllChildrenNumberResponse.readFrom(in).totalNumber();
                });
    }

    /** The caller's own ephemeral nodes whose path starts with the prefix (a plain text prefix). */
    static Call<List<String>> getEphemerals(Chroot chroot, String prefix) {
        String p = prefix == null || prefix.isEmpty() ? "/" : prefix;
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("prefix must start with /: " + prefix);
        }
        String serverPrefix = chroot.prefix() == null ? p : chroot.prefix() + (p.equals("/") ? "" : p);
        return new Call<>(OpCode.GET_EPHEMERALS, new GetEphemeralsRequest(serverPrefix), prefix, (err, in) -> {
            check(err, prefix);
            List<String> out = new ArrayList<>();
            for (String path : GetEphemeralsResponse.readFrom(in).ephemerals()) {
                // The server matches plain text; keep only nodes really inside the chroot.
                if (chroot.prefix() == null || path.startsWith(chroot.prefix() + "/")) {
                    out.add(chroot.toClient(path));
                }
            }
            return out;
        });
    }

    static Call<Void> sync(Chroot chroot, String path) {
        Chroot.validate(path);
        return new Call<>(OpCode.SYNC, new SyncRequest(chroot.toServer(path)), path, (err, in) -> {
            check(err, path);
            return null;
        });
    }

    static Call<Void> addWatch(Chroot chroot, WatchManager watches, String path, Watcher watcher, AddWatchMode mode) {
        Chroot.validate(path);
        if (watcher == null || mode == null) {
            throw new IllegalArgumentException("addWatch needs a watcher and a mode");
        }
        return new Call<>(OpCode.ADD_WATCH, new AddWatchRequest(chroot.toServer(path), mode.code()), path, (err, in) -> {
            check(err, path);
            watches.add(mode == AddWatchMode.PERSISTENT ? WatchManager.Kind.PERSISTENT
                    : WatchManager.Kind.PERSISTENT_RECURSIVE, path, watcher);
            return null;
        });
    }

    /** Clears a server-side watch the client no longer needs; NO_WATCHER means it is already gone. */
    static Call<Void> removeServerWatch(Chroot chroot, String path, WatcherType type) {
        return new Call<>(OpCode.REMOVE_WATCHES, new RemoveWatchesRequest(chroot.toServer(path), type.code()), path,
                (err, in) -> {
                    if (err != ErrorCode.NO_WATCHER.code()) {
                        check(err, path);
                    }
                    return null;
                });
    }

    static Call<List<ClientInfo>> whoAmI() {
        return new Call<>(OpCode.WHO_AM_I, null, null, (err, in) -> {
            check(err, null);
            return WhoAmIResponse.readFrom(in).clientInfo();
        });
    }

    static Call<Void> auth(AuthPacket packet) {
        return new Call<>(OpCode.AUTH, packet, null, (err, in) -> {
            check(err, null);
            return null;
        });
    }

    /** One SASL token to the server; its answer is the server's token (null when it sends none). */
    static Call<byte[]> sasl(byte[] token) {
        return new Call<>(OpCode.SASL, new GetSASLRequest(token), null, (err, in) -> {
            check(err, null);
            return SetSASLResponse.readFrom(in).token();
        });
    }

    static Call<Void> setWatches(SetWatchesBatcher.Batch batch) {
        return new Call<>(batch.opCode(), batch.body(), null, (err, in) -> {
            check(err, null);
            return null;
        });
    }

    static Call<Void> closeSession() {
        return new Call<>(OpCode.CLOSE_SESSION, null, null, (err, in) -> {
            check(err, null);
            return null;
        });
    }

    /**
     * A multi (write) or multiRead. {@code paths} are the client paths of the ops, in order, for
     * results and exceptions. A failed multi raises the first real error with every result.
     */
    static Call<List<MultiResult>> multi(Chroot chroot, int opCode, List<MultiOp> ops, List<String> paths) {
        String first = paths.isEmpty() ? null : paths.get(0);
        return new Call<>(opCode, new MultiRequest(ops), first, (err, in) -> {
            check(err, first);
            List<OpResult> raw = MultiResponse.readFrom(in).results();
            List<MultiResult> results = new ArrayList<>(raw.size());
            for (OpResult r : raw) {
                results.add(toResult(chroot, r));
            }
            if (opCode == OpCode.MULTI) {
                for (int i = 0; i < raw.size(); i++) {
                    OpResult r = raw.get(i);
                    if (r.type() == OpCode.ERROR && r.err() != 0 && r.err() != ErrorCode.RUNTIME_INCONSISTENCY.code()) {
                        throw new PaddockException(code(r.err()), i < paths.size() ? paths.get(i) : null, results, null);
                    }
                }
            }
            return results;
        });
    }

    private static MultiResult toResult(Chroot chroot, OpResult r) {
        return switch (r.type()) {
            case OpCode.CREATE -> new MultiResult.CreateResult(chroot.toClient(((CreateResponse) r.body()).path()), null);
            case OpCode.CREATE2 -> {
                Create2Response c = (Create2Response) r.body();
                yield new MultiResult.CreateResult(chroot.toClient(c.path()), c.stat());
            }
            case OpCode.DELETE -> new MultiResult.DeleteResult();
            case OpCode.SET_DATA -> new MultiResult.SetDataResult(((SetDataResponse) r.body()).stat());
            case OpCode.CHECK -> new MultiResult.CheckResult();
            case OpCode.GET_DATA -> {
                GetDataResponse d = (GetDataResponse) r.body();
                yield new MultiResult.GetDataResult(d.data(), d.stat());
            }
            case OpCode.GET_CHILDREN -> new MultiResult.GetChildrenResult(((GetChildrenResponse) r.body()).children());
            default -> new MultiResult.ErrorResult(code(r.err()));
        };
    }
}
