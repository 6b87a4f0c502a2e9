package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.PathRules;
import io.paddock.protocol.Stat;

/**
 * Announces that a member is alive: an ephemeral node {@code group/member}. The client's pings
 * keep the session, and so the node, alive; when the process dies or loses the network for
 * longer than the session timeout, the server removes the node and every
 * {@link LivenessMonitor} of the group sees the member leave.
 */
public final class Heartbeat implements AutoCloseable {
    private final PaddockClient client;
    private final String path;
    private final byte[] info;

    /** @param info data for monitors (an address, a version); may be null */
    public Heartbeat(PaddockClient client, String groupPath, String member, byte[] info) {
        if (member.isEmpty() || member.contains("/")) {
            throw new IllegalArgumentException("bad member name " + member);
        }
        this.client = client;
        this.path = groupPath + "/" + member;
        this.info = info;
    }

    /**
     * Starts beating. Fails with NODE_EXISTS if another live session already uses this member
     * name; a node left by this same session (a retried start) is taken over.
     */
    public Heartbeat start() throws InterruptedException {
        Nodes.ensurePath(client, PathRules.parent(path));
        try {
            client.create(path, info, CreateMode.EPHEMERAL);
        } catch (PaddockException e) {
            Stat stat = e.code() == ErrorCode.NODE_EXISTS ? client.exists(path) : null;
            if (stat == null || stat.ephemeralOwner() != client.sessionId()) {
                throw e;
            }
        }
        return this;
    }

    /** Stops beating: the member leaves at once instead of at session expiry. */
    @Override
    public void close() {
        try {
            client.delete(path, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PaddockException e) {
            if (e.code() != ErrorCode.NO_NODE && client.state().isAlive()) {
                throw e;
            }
        }
    }
}
