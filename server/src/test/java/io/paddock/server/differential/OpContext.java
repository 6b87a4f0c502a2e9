package io.paddock.server.differential;

import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** What a {@link Operation.ClientAction} works with on one server: the session and the outcome being built. */
final class OpContext {
    private final Side side;
    private final Client client;
    private final Observations seen;
    private final Outcome.Builder out = new Outcome.Builder();

    OpContext(Side side, Client client, Observations seen) {
        this.side = side;
        this.client = client;
        this.seen = seen;
    }

    ZooKeeper zk() {
        return client.zk();
    }

    /** The session's default watcher (the one boolean-watch reads and addWatch register). */
    Watcher watcher() {
        return client.events();
    }

    OpContext add(String part) {
        out.add(part);
        return this;
    }

    /** Adds a Stat of {@code path} to the outcome. */
    OpContext stat(String path, Stat s) {
        out.stat(StatSnapshot.of(s, side.ownerName(s.getEphemeralOwner(), client)));
        seen.stat(path, s.getVersion(), s.getAversion());
        return this;
    }

    void created(String requested, String actual) {
        seen.created(requested, actual);
    }

    void gone(String path) {
        seen.gone(path);
    }

    Outcome outcome() {
        return out.build();
    }
}
