package io.paddock.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.StateListener;
import io.paddock.client.WatchedEvent;
import io.paddock.client.Watcher;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperState;
import java.util.List;

/**
 * Leader election among the participants of one election node. Each participant holds an
 * ephemeral sequential node; the lowest is the leader, and every other one watches only the
 * node just before its own, so a departure wakes a single participant.
 *
 * <p>A leader that loses its connection steps down at once ({@code revoked}): it cannot know
 * whether its session survives, and the server may elect someone else once the session
 * expires. Since a client notices silence after 2/3 of the session timeout and the server
 * expires a session no earlier than the full timeout, two participants never believe they lead
 * at the same time. If the session survives, the participant is elected again on reconnecting
 * (if it is still first). Callbacks run on the client's event thread or in {@link #start()}.
 */
public final class LeaderElection implements AutoCloseable {

    /** Told when this participant becomes leader and when it stops being leader. */
    public interface Listener {
        void elected();

        void revoked();
    }

    private final PaddockClient client;
    private final String path;
    private final String participantId;
    private final Listener listener;
    private final Watcher watcher = this::onEvent;
    private final StateListener states = this::onState;
    private volatile String ownNode;
    private volatile boolean leader;
    private volatile boolean closed;

    /**
     * @param path          the election node, such as {@code /election/scheduler}; created if missing
     * @param participantId stored in the participant's node, see {@link #leaderId()}
     */
    public LeaderElection(PaddockClient client, String path, String participantId, Listener listener) {
        this.client = client;
        this.path = path;
        this.participantId = participantId;
        this.listener = listener;
    }

    /** Joins the election; {@code elected} is called here if this participant is first. */
    public LeaderElection start() throws InterruptedException {
        client.addStateListener(states);
        ownNode = Nodes.createTagged(client, path, "n_", participantId.getBytes(UTF_8), CreateMode.EPHEMERAL_SEQUENTIAL);
        check();
        return this;
    }

    public boolean isLeader() {
        return leader;
    }

    /** The id of the current leader, or null if there is none. */
    public String leaderId() throws InterruptedException {
        while (true) {
            List<String> sorted = Nodes.bySequence(client.getChildren(path));
            if (sorted.isEmpty()) {
                return null;
            }
            try {
                byte[] data = client.getData(path + "/" + sorted.get(0)).data();
                return data == null ? "" : new String(data, UTF_8);
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NO_NODE) {
                    throw e;
                }
            }
        }
    }

    private synchronized void check() throws InterruptedException {
        while (!closed && ownNode != null) {
            List<String> sorted = Nodes.bySequence(client.getChildren(path));
            int index = sorted.indexOf(Nodes.name(ownNode));
            if (index < 0) {
                // Our node is gone: the session expired. Nothing more to do here.
                setLeader(false);
                return;
            }
            if (index == 0) {
                setLeader(true);
                return;
            }
            setLeader(false);
            if (client.exists(path + "/" + sorted.get(index - 1), watcher) != null) {
                return;
            }
        }
    }

    private void onEvent(WatchedEvent event) {
        if (event.type() == EventType.NODE_DELETED) {
            checkQuietly();
        }
    }

    private void onState(KeeperState state) {
        switch (state) {
            case SYNC_CONNECTED -> checkQuietly();
            case DISCONNECTED, EXPIRED, CLOSED, AUTH_FAILED -> stepDown();
            default -> {
            }
        }
    }

    private synchronized void stepDown() {
        setLeader(false);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PaddockException e) {
            // No connection: the next SYNC_CONNECTED checks again.
        }
    }

    private void setLeader(boolean now) {
        if (now == leader) {
            return;
        }
        leader = now;
        if (now) {
            listener.elected();
        } else {
            listener.revoked();
        }
    }

    /** Leaves the election (stepping down first if leader). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            setLeader(false);
        }
        client.removeStateListener(states);
        String node = ownNode;
        ownNode = null;
        if (node != null && client.state().isAlive()) {
            try {
                client.delete(node, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NO_NODE && client.state().isAlive()) {
                    throw e;
                }
            }
        }
    }
}
