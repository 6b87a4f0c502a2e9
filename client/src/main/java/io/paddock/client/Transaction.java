package io.paddock.client;

import io.paddock.protocol.ACL;
import io.paddock.protocol.CheckVersionRequest;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.CreateTTLRequest;
import io.paddock.protocol.DeleteRequest;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.SetDataRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Builds a multi: writes applied atomically, all or none. Obtain one from
 * {@link PaddockClient#transaction()}, add ops, then {@link #commit()}. If an op fails, nothing
 * is applied and commit throws a {@link PaddockException} with that op's code and path, whose
 * {@link PaddockException#results()} hold one {@link MultiResult.ErrorResult} per op.
 */
public final class Transaction {
    private final PaddockClient client;
    private final Chroot chroot;
    private final List<MultiOp> ops = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    Transaction(PaddockClient client, Chroot chroot) {
        this.client = client;
        this.chroot = chroot;
    }

    /** Creates a node; a CONTAINER mode creates a container. */
    public Transaction create(String path, byte[] data, List<ACL> acl, CreateMode mode) {
        Requests.validateCreate(path, acl, mode);
        if (mode.isTtl()) {
            throw new IllegalArgumentException(mode + " needs a ttl: use createTtl");
        }
        int op = mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2;
        return add(path, new MultiOp(op, new CreateRequest(chroot.toServer(path), data, acl, mode.flag())));
    }

    /** Creates a node with the client's default ACL. */
    public Transaction create(String path, byte[] data, CreateMode mode) {
        return create(path, data, client.defaultAcl(), mode);
    }

    /** Creates a TTL node (the server must run with extended types enabled). */
    public Transaction createTtl(String path, byte[] data, List<ACL> acl, CreateMode mode, long ttlMs) {
        Requests.validateCreate(path, acl, mode);
        if (!mode.isTtl() || ttlMs <= 0) {
            throw new IllegalArgumentException("createTtl needs a TTL mode and a positive ttl");
        }
        return add(path, new MultiOp(OpCode.CREATE_TTL,
                new CreateTTLRequest(chroot.toServer(path), data, acl, mode.flag(), ttlMs)));
    }

    /** Deletes a node if its version matches ({@code -1} matches any). */
    public Transaction delete(String path, int version) {
        Chroot.validate(path);
        return add(path, new MultiOp(OpCode.DELETE, new DeleteRequest(chroot.toServer(path), version)));
    }

    /** Replaces a node's data if its version matches ({@code -1} matches any). */
    public Transaction setData(String path, byte[] data, int version) {
        Chroot.validate(path);
        return add(path, new MultiOp(OpCode.SET_DATA, new SetDataRequest(chroot.toServer(path), data, version)));
    }

    /** Fails the whole transaction unless the node exists with this version. */
    public Transaction check(String path, int version) {
        Chroot.validate(path);
        return add(path, new MultiOp(OpCode.CHECK, new CheckVersionRequest(chroot.toServer(path), version)));
    }

    private Transaction add(String path, MultiOp op) {
        ops.add(op);
        paths.add(path);
        return this;
    }

    /** Applies every op or none; returns one result per op. */
    public List<MultiResult> commit() throws InterruptedException {
        if (ops.isEmpty()) {
            return List.of();
        }
        return client.await(Requests.multi(chroot, OpCode.MULTI, List.copyOf(ops), List.copyOf(paths)));
    }

    /** {@link #commit()} without blocking. */
    public CompletableFuture<List<MultiResult>> commitAsync() {
        if (ops.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return client.async(Requests.multi(chroot, OpCode.MULTI, List.copyOf(ops), List.copyOf(paths)));
    }
}
