package io.paddock.client;

import io.paddock.protocol.GetChildrenRequest;
import io.paddock.protocol.GetDataRequest;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.OpCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Builds a multiRead: several reads in one round trip. Each read succeeds or fails on its own
 * (a failed one yields a {@link MultiResult.ErrorResult}); no watches are set. Obtain one from
 * {@link PaddockClient#multiRead()}.
 */
public final class MultiRead {
    private final PaddockClient client;
    private final Chroot chroot;
    private final List<MultiOp> ops = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    MultiRead(PaddockClient client, Chroot chroot) {
        this.client = client;
        this.chroot = chroot;
    }

    /** Reads a node's data and Stat: a {@link MultiResult.GetDataResult}. */
    public MultiRead getData(String path) {
        Chroot.validate(path);
        ops.add(new MultiOp(OpCode.GET_DATA, new GetDataRequest(chroot.toServer(path), false)));
        paths.add(path);
        return this;
    }

    /** Reads a node's children: a {@link MultiResult.GetChildrenResult}. */
    public MultiRead getChildren(String path) {
        Chroot.validate(path);
        ops.add(new MultiOp(OpCode.GET_CHILDREN, new GetChildrenRequest(chroot.toServer(path), false)));
        paths.add(path);
        return this;
    }

    /** Runs the reads; returns one result per read, in order. */
    public List<MultiResult> execute() throws InterruptedException {
        if (ops.isEmpty()) {
            return List.of();
        }
        return client.await(Requests.multi(chroot, OpCode.MULTI_READ, List.copyOf(ops), List.copyOf(paths)));
    }

    /** {@link #execute()} without blocking. */
    public CompletableFuture<List<MultiResult>> executeAsync() {
        if (ops.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return client.async(Requests.multi(chroot, OpCode.MULTI_READ, List.copyOf(ops), List.copyOf(paths)));
    }
}
