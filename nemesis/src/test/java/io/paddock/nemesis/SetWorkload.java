package io.paddock.nemesis;

import io.paddock.nemesis.History.Create;
import io.paddock.nemesis.History.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;

/**
 * The set workload: processes creating PERSISTENT_SEQUENTIAL children of {@link #SET}, each attempt
 * with a payload of its own, recorded as {@link Create}s: ok with the name the server gave, failed
 * (an error that says it did not happen, such as SessionExpired), unknown (connection loss, or no
 * answer; after no answer the session is closed and a new one started).
 */
final class SetWorkload extends ClientProcesses {
    static final String SET = "/nemesis/set";
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    SetWorkload(List<String> connectStrings, int firstProcess, History history, long seed, long origin) {
        super("set", connectStrings, firstProcess, history, seed, origin);
    }

    private record Reply(Code code, String name) {
    }

    @Override
    void run(int process) throws InterruptedException, IOException {
        int[] attempts = {0};
        takeTurns(process, PACE_NANOS, zk -> {
            String payload = "c" + process + "-" + ++attempts[0];
            long invokedAt = now();
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            zk.create(SET + "/e-", payload.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT_SEQUENTIAL, (rc, path, ctx, name) -> reply.complete(new Reply(Code.get(rc),
                            name == null ? null : name.substring(name.lastIndexOf('/') + 1))), null);
            Reply r = answer(reply);
            Outcome outcome = outcome(r == null ? null : r.code());
            history.add(new Create(process, zk.getSessionId(), payload, invokedAt, now(), outcome,
                    outcome == Outcome.OK ? r.name() : null, r == null ? "client timeout" : r.code() == Code.OK ? null
                            : r.code().name()));
            return r != null && r.code() != Code.SESSIONEXPIRED;
        });
    }
}
