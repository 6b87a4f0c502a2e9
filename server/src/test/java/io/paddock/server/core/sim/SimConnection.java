package io.paddock.server.core.sim;

import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.Id;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.server.core.Connection;
import io.paddock.server.session.LocalSession;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's TCP connection to one server incarnation, as both ends see it: the server's core
 * buffers frames and flushes them, and the simulated network carries them to the client in order;
 * either end may close it. Frames the client sends travel the other way in order too.
 */
final class SimConnection implements Connection {
    /** A frame from the server: a handshake answer, or a reply or notification. */
    record Frame(ConnectResponse handshake, ReplyHeader header, Record body) {
        boolean notification() {
            return header != null && header.xid() == io.paddock.protocol.Xid.NOTIFICATION;
        }
    }

    final SimClient client;
    final Member server;
    final long serverIncarnation;
    final int number;
    private final WholeServerSim sim;
    private final List<Frame> buffered = new ArrayList<>();
    private long sessionId;
    /** The session attached here, which every request touches on arrival (as the server's network thread does). */
    private LocalSession session;
    /** Notifications sent here (a broken variant drops some). */
    private int notifications;
    /** Closed at either end: nothing more is carried. */
    boolean closed;
    /** When the last frame in each direction arrives, so that later ones arrive after it. */
    long toClientAt;
    long toServerAt;

    SimConnection(WholeServerSim sim, SimClient client, Member server, int number) {
        this.sim = sim;
        this.client = client;
        this.server = server;
        this.serverIncarnation = server.incarnation;
        this.number = number;
    }

    @Override
    public long sessionId() {
        return sessionId;
    }

    @Override
    public List<Id> identities() {
        return List.of(new Id("ip", "10.0.0." + client.id));
    }

    @Override
    public String remoteAddress() {
        return "/10.0.0." + client.id + ":" + number;
    }

    /** A request arrived: any request, ping included, is a sign of life of the session. */
    void touch() {
        if (session != null) {
            session.touch(sim.clock().monotonicMs());
            sim.signOfLife(session.id());
        }
    }

    @Override
    public void send(ReplyHeader header, Record body) {
        buffered.add(new Frame(null, header, body));
    }

    @Override
    public void sendConnectResponse(ConnectResponse response, LocalSession session) {
        if (session != null) {
            sessionId = session.id();
            this.session = session;
            // A re-attach is a sign of life too: the server touches the session for it.
            sim.signOfLife(session.id());
        }
        buffered.add(new Frame(response, null, null));
    }

    @Override
    public void flush() {
        switch (sim.params.variant()) {
            case REORDERED_REPLIES -> java.util.Collections.reverse(buffered);
            case LATE_WATCH_EVENTS -> buffered.sort(java.util.Comparator.comparing(Frame::notification));
            default -> {
            }
        }
        for (Frame f : buffered) {
            if (f.notification() && sim.params.variant() == WholeServerSim.Variant.LOST_WATCH_EVENTS
                    && ++notifications % 3 == 0) {
                continue;
            }
            sim.network().toClient(this, f);
            if (f.notification() && sim.params.variant() == WholeServerSim.Variant.DOUBLED_WATCH_EVENTS) {
                sim.network().toClient(this, f);
            }
        }
        buffered.clear();
    }

    @Override
    public void close() {
        flush();
        sim.network().closeFromServer(this);
    }

    @Override
    public void abort() {
        buffered.clear();
        sim.network().closeFromServer(this);
    }

    @Override
    public void discarded(int requests) {
    }

    @Override
    public void replied(int xid, int op, long zxid, long latencyMs) {
    }

    /** Deterministic, so that the core's maps of connections iterate alike in every replay. */
    @Override
    public int hashCode() {
        return client.id * 100_003 + number;
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public String toString() {
        return "c" + client.id + "." + number + "->s" + server.id;
    }
}
