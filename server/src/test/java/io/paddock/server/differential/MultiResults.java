package io.paddock.server.differential;

import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/** Runs a multi or multiRead and describes its per-operation results. */
final class MultiResults {
    private MultiResults() {
    }

    static void run(OpContext ctx, List<Op> ops, List<String> paths) throws InterruptedException {
        List<OpResult> results;
        try {
            results = ctx.zk().multi(ops);
            ctx.add("ok");
        } catch (KeeperException e) {
            // A failed multi reports the failing code and (if the server answered) one result per op.
            ctx.add("err " + e.code());
            results = e.getResults();
            if (results == null) {
                return;
            }
        }
        ctx.add("results(" + results.size() + "):");
        for (int i = 0; i < results.size(); i++) {
            describe(ctx, results.get(i), i < paths.size() ? paths.get(i) : "?");
        }
    }

    private static void describe(OpContext ctx, OpResult r, String path) {
        ctx.add("|");
        if (r instanceof OpResult.CreateResult c) {
            ctx.add("create(type " + c.getType() + ") " + c.getPath());
            ctx.created(path, c.getPath());
            if (c.getStat() != null) {
                ctx.stat(c.getPath(), c.getStat());
            }
        } else if (r instanceof OpResult.DeleteResult) {
            ctx.gone(path);
            ctx.add("delete");
        } else if (r instanceof OpResult.SetDataResult s) {
            ctx.add("setData").stat(path, s.getStat());
        } else if (r instanceof OpResult.CheckResult) {
            ctx.add("check");
        } else if (r instanceof OpResult.GetDataResult g) {
            ctx.add("getData data=" + KeySpace.show(g.getData())).stat(path, g.getStat());
        } else if (r instanceof OpResult.GetChildrenResult g) {
            ctx.add("getChildren " + OpGenerator.sorted(g.getChildren()));
        } else if (r instanceof OpResult.ErrorResult e) {
            ctx.add("error " + KeeperException.Code.get(e.getErr()));
        } else {
            ctx.add("unexpected " + r.getClass().getSimpleName() + " type " + r.getType());
        }
    }
}
