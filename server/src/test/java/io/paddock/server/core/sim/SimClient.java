package io.paddock.server.core.sim;

import io.paddock.protocol.ACL;
import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.GetDataRequest;
import io.paddock.protocol.GetDataResponse;
import io.paddock.protocol.Id;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.SetDataRequest;
import io.paddock.protocol.SetDataResponse;
import io.paddock.protocol.SyncRequest;
import io.paddock.protocol.Xid;
import io.paddock.server.core.CoreEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A client that behaves as ZooKeeper's do: one session, taken from server to server; requests
 * pipelined on one connection; a ping when idle; when it has heard nothing for two thirds of its
 * timeout, or its connection goes, it re-attaches its session to another server, telling it the
 * last zxid it saw; when told its session expired, it starts a new one. It reads and writes a few
 * registers (setData, and setData with a version as compare-and-set), records the writes for the
 * linearizability check, and checks what it is promised as it goes: replies in request order, a
 * view that never goes back.
 */
final class SimClient {
    private static final int MAX_OUTSTANDING = 3;

    /** A request waiting for its reply. */
    private record Pending(int xid, int op, int key, RegisterHistory.Op write, long syncSentAt) {
        Pending(int xid, int op, int key, RegisterHistory.Op write) {
            this(xid, op, key, write, -1);
        }
    }

    final int id;
    private final WholeServerSim sim;
    private final Random rnd;
    private final int timeoutMs;
    private long sessionId;
    private byte[] password = new byte[16];
    private int sessionNumber;
    /** This session was answered SessionExpired: it must really be gone (no later success, no re-attach). */
    private boolean toldExpired;
    private SimConnection conn;
    private boolean handshaking;
    private int connections;
    private long lastZxidSeen;
    private long lastHeardAt;
    private long lastSentAt;
    private int nextXid = 1;
    private int writes;
    private final ArrayDeque<Pending> outstanding = new ArrayDeque<>();
    /** The highest version of each register this session has seen: it must never see a lower one. */
    private final int[] seenVersion;
    /** Frozen (a stopped VM, a dead route): it sends nothing more, and keeps its connection open. */
    boolean silent;
    /**
     * A second handle on this session is being opened elsewhere: this one stops its work, does not
     * reconnect, and once the other is attached makes one last write, which must not be applied.
     */
    private boolean retiring;
    private RegisterHistory.Op lastWord;
    /** For a second handle: the server it must not use (where the first handle is), and whose session it takes. */
    private Member avoid;
    private SimClient movedFrom;
    /** The first client creates the registers (empty, version 0) before anyone else starts. */
    private boolean setup;
    private final boolean[] created;
    private final boolean[] creating;

    SimClient(WholeServerSim sim, int id, int timeoutMs, int keys) {
        this.sim = sim;
        this.id = id;
        this.rnd = new Random(sim.random().nextLong());
        this.timeoutMs = timeoutMs;
        this.seenVersion = new int[keys];
        this.created = new boolean[keys];
        this.creating = new boolean[keys];
    }

    void startSetup() {
        setup = true;
        start();
    }

    /** A second handle on {@code first}'s session, to be attached on another server than the first's. */
    static SimClient secondHandle(WholeServerSim sim, int id, SimClient first, int keys) {
        SimClient c = new SimClient(sim, id, first.timeoutMs, keys);
        c.sessionId = first.sessionId;
        c.password = first.password.clone();
        c.lastZxidSeen = first.lastZxidSeen;
        System.arraycopy(first.seenVersion, 0, c.seenVersion, 0, keys);
        c.avoid = first.conn.server;
        c.movedFrom = first;
        first.retiring = true;
        return c;
    }

    /** Whether this handle holds a session on a connection and may be moved (it is a normal, busy client). */
    boolean movable() {
        return conn != null && !handshaking && !silent && !retiring && !setup && movedFrom == null && sessionId != 0;
    }

    /** Whether this handle is the live one of its session (not silent, not handing over to another). */
    boolean freezable() {
        return !silent && !retiring;
    }

    void start() {
        connect();
        sim.afterClient(1 + rnd.nextInt(20), this::act);
    }

    private String name() {
        return "c" + id;
    }

    // ---------------------------------------------------------------- connections

    private void connect() {
        Member server = sim.members().get(rnd.nextInt(sim.members().size()));
        if (server == avoid) {
            sim.afterClient(1 + rnd.nextInt(10), this::connect);
            return;
        }
        if (!server.alive) {
            // Connection refused: try another server soon.
            sim.afterClient(5 + rnd.nextInt(30), this::connect);
            return;
        }
        conn = new SimConnection(sim, this, server, ++connections);
        handshaking = true;
        lastHeardAt = sim.now();
        lastSentAt = sim.now();
        SimConnection c = conn;
        ConnectRequest request = new ConnectRequest(0, lastZxidSeen, timeoutMs, sessionId, password, false, false);
        sim.network().toServer(c, () -> c.server.handle(new CoreEvent.Connect(c, request)));
        sim.trace(this, "connects to s" + server.id + (sessionId == 0 ? " for a new session"
                : " with session " + Long.toHexString(sessionId)));
    }

    /** The client gives up on its connection (silence for too long, or moving on). */
    private void drop(String why) {
        SimConnection c = conn;
        sim.trace(this, "drops " + c + ": " + why);
        sim.network().closeFromClient(c);
        lost(c);
    }

    /** The connection is gone: writes in flight have an unknown outcome; the session moves on. */
    void lost(SimConnection c) {
        if (c != conn) {
            return;
        }
        conn = null;
        for (Pending p : outstanding) {
            if (p.write() != null) {
                sim.history().unknown(p.write());
            }
            if (p.op() == OpCode.CREATE) {
                creating[p.key()] = false;
            }
        }
        outstanding.clear();
        if (!silent && !retiring) {
            sim.afterClient(5 + rnd.nextInt(50), this::connect);
        }
    }

    // ---------------------------------------------------------------- what arrives

    void receive(SimConnection c, SimConnection.Frame f) {
        if (c != conn) {
            return;
        }
        lastHeardAt = sim.now();
        if (f.handshake() != null) {
            if (f.handshake().timeOut() <= 0) {
                sim.trace(this, "session " + Long.toHexString(sessionId) + " expired; starting a new one");
                sessionId = 0;
                password = new byte[16];
                sessionNumber++;
                toldExpired = false;
                Arrays.fill(seenVersion, 0);
                sim.network().closeFromClient(c);
                lost(c);
                return;
            }
            handshaking = false;
            if (toldExpired && sessionId == f.handshake().sessionId()) {
                sim.fail(name() + ": session " + Long.toHexString(sessionId) + " was answered SessionExpired, but"
                        + " re-attached afterwards: a live session was refused as expired");
            }
            if (sessionId != 0 && sessionId != f.handshake().sessionId()) {
                sim.fail(name() + " re-attached session " + Long.toHexString(sessionId) + " but was given "
                        + Long.toHexString(f.handshake().sessionId()));
            }
            sessionId = f.handshake().sessionId();
            password = f.handshake().passwd();
            if (movedFrom != null) {
                avoid = null;
                movedFrom.lastWord();
                movedFrom = null;
            }
            return;
        }
        ReplyHeader h = f.header();
        if (h.xid() == Xid.NOTIFICATION) {
            return;
        }
        Pending p = outstanding.poll();
        int expectedXid = p == null ? Integer.MIN_VALUE : p.op() == OpCode.PING ? Xid.PING : p.xid();
        if (p == null || h.xid() != expectedXid) {
            sim.fail(name() + " on " + c + ": reply xid " + h.xid() + " but the oldest request waiting is "
                    + (p == null ? "none" : "xid " + expectedXid) + " (replies must come in request order)");
            return;
        }
        if (h.zxid() < lastZxidSeen) {
            sim.fail(name() + " on " + c + ": reply to xid " + h.xid() + " carries zxid " + Long.toHexString(h.zxid())
                    + " after the session saw " + Long.toHexString(lastZxidSeen) + " (its view went back)");
            return;
        }
        lastZxidSeen = h.zxid();
        if (toldExpired && h.err() == 0 && p.op() != OpCode.PING && p.op() != OpCode.SYNC) {
            sim.fail(name() + " on " + c + ": session " + Long.toHexString(sessionId) + " was answered"
                    + " SessionExpired, then " + OpCode.name(p.op()) + " xid " + h.xid() + " succeeded: a live"
                    + " session was refused as expired");
            return;
        }
        if (h.err() != 0) {
            sim.trace(this, "reply to " + OpCode.name(p.op()) + " xid " + h.xid() + ": " + ErrorCode.fromCode(h.err())
                    + " zxid " + Long.toHexString(h.zxid()));
        }
        answered(p, h.err(), f.body());
    }

    private void answered(Pending p, int err, Record body) {
        if (p.op() == OpCode.PING) {
            return;
        }
        if (p.op() == OpCode.CREATE) {
            creating[p.key()] = false;
            created[p.key()] |= err == 0 || err == ErrorCode.NODE_EXISTS.code();
            for (boolean c : created) {
                if (!c) {
                    return;
                }
            }
            setup = false;
            sim.setupDone();
            return;
        }
        if (err == ErrorCode.SESSION_EXPIRED.code()) {
            toldExpired = true;
            if (!sim.closeApplied(sessionId)) {
                sim.fail(name() + ": session " + Long.toHexString(sessionId) + " was answered SessionExpired, but no"
                        + " server has applied its close: a live session was refused as expired");
                return;
            }
        }
        if (err == ErrorCode.SESSION_EXPIRED.code() || err == ErrorCode.SESSION_MOVED.code()) {
            // Not applied, and the client is told so; its next connection learns what became of the session.
            if (p.write() != null) {
                sim.history().failed(p.write());
            }
            sim.trace(this, "refused: " + ErrorCode.fromCode(err));
            return;
        }
        if (p.op() == OpCode.SYNC) {
            if (err != 0) {
                sim.fail(name() + ": sync failed with " + ErrorCode.fromCode(err));
            }
            return;
        }
        if (p.op() == OpCode.GET_DATA) {
            if (err != 0) {
                sim.fail(name() + ": getData of register " + p.key() + " failed with " + ErrorCode.fromCode(err));
                return;
            }
            int version = ((GetDataResponse) body).stat().version();
            if (p.syncSentAt() >= 0) {
                RegisterHistory.Op acked = sim.history().lastAckedBefore(p.key(), p.syncSentAt());
                if (acked != null && version < acked.version) {
                    sim.fail(name() + " on " + conn + ": a read of register " + p.key() + " after a sync sent at "
                            + p.syncSentAt() + " shows version " + version + ", but " + acked
                            + " was acknowledged before the sync was sent");
                    return;
                }
            }
            seen(p.key(), version, "read");
            return;
        }
        RegisterHistory.Op w = p.write();
        if (w == lastWord && err != ErrorCode.SESSION_MOVED.code()) {
            sim.fail(name() + ": " + w + ", sent on the old connection of a session that had moved to another server,"
                    + " was answered " + (err == 0 ? "OK: applied" : ErrorCode.fromCode(err)));
            return;
        }
        if (err == 0) {
            int version = ((SetDataResponse) body).stat().version();
            sim.history().ok(w, version, sim.now());
            seen(p.key(), version, "write");
        } else if (err == ErrorCode.BAD_VERSION.code() && w.kind == RegisterHistory.Kind.CAS) {
            sim.history().refused(w, sim.now());
        } else {
            sim.fail(name() + ": " + w + " failed with " + ErrorCode.fromCode(err));
        }
    }

    private void seen(int key, int version, String how) {
        if (version < seenVersion[key]) {
            sim.fail(name() + " session " + Long.toHexString(sessionId) + ": a " + how + " of register " + key
                    + " shows version " + version + " after the session saw version " + seenVersion[key]);
        }
        seenVersion[key] = Math.max(seenVersion[key], version);
    }

    // ---------------------------------------------------------------- what it does

    /** The client's own clock: pings, giving up on a silent server, and the next request. */
    private void act() {
        sim.afterClient(10 + rnd.nextInt(60), this::act);
        if (conn == null || silent || retiring) {
            return;
        }
        long silentMs = sim.now() - lastHeardAt;
        if (silentMs > timeoutMs * 2L / 3) {
            drop("nothing heard for " + silentMs + " ms");
            return;
        }
        if (handshaking) {
            return;
        }
        if (sim.now() - lastSentAt > timeoutMs / 3) {
            sim.trace(this, "pings " + conn);
            send(new Pending(Xid.PING, OpCode.PING, -1, null), null);
        }
        if (setup) {
            for (int k = 0; k < created.length; k++) {
                if (!created[k] && !creating[k]) {
                    creating[k] = true;
                    send(new Pending(nextXid++, OpCode.CREATE, k, null), new CreateRequest(WholeServerSim.register(k),
                            new byte[0], List.of(new ACL(Perms.ALL, new Id("world", "anyone"))), 0));
                }
            }
            return;
        }
        if (sim.clientsStopped() || outstanding.size() >= MAX_OUTSTANDING) {
            return;
        }
        int key = rnd.nextInt(seenVersion.length);
        String path = WholeServerSim.register(key);
        int choice = rnd.nextInt(10);
        if (choice < 1) {
            // sync, then a read: it must see every write acknowledged (to anyone) before the sync was sent.
            long sentAt = sim.now();
            send(new Pending(nextXid++, OpCode.SYNC, key, null), new SyncRequest(path));
            send(new Pending(nextXid++, OpCode.GET_DATA, key, null, sentAt), new GetDataRequest(path, false));
            return;
        }
        if (choice < 3) {
            send(new Pending(nextXid++, OpCode.GET_DATA, key, null), new GetDataRequest(path, false));
            return;
        }
        String value = name() + "." + sessionNumber + "." + (++writes);
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        int xid = nextXid++;
        if (choice < 6) {
            RegisterHistory.Op w = sim.history().invoke(id, key, RegisterHistory.Kind.WRITE, -1, value, sim.now());
            send(new Pending(xid, OpCode.SET_DATA, key, w), new SetDataRequest(path, data, -1));
        } else {
            // Compare-and-set on the version this session last saw (now and then a stale one).
            int expected = Math.max(0, seenVersion[key] - (rnd.nextInt(4) == 0 ? 1 : 0));
            RegisterHistory.Op w = sim.history().invoke(id, key, RegisterHistory.Kind.CAS, expected, value, sim.now());
            send(new Pending(xid, OpCode.SET_DATA, key, w), new SetDataRequest(path, data, expected));
        }
    }

    private void send(Pending p, Record body) {
        SimConnection c = conn;
        outstanding.add(p);
        lastSentAt = sim.now();
        int xid = p.op() == OpCode.PING ? Xid.PING : p.xid();
        if (p.op() != OpCode.PING) {
            sim.trace(this, "sends " + OpCode.name(p.op()) + " xid " + xid + " on " + c);
        }
        sim.network().toServer(c, () -> {
            c.touch();
            // Arrived now, for the server's latency figures (which read the JVM's clock).
            c.server.handle(new CoreEvent.Request(c, c.identities(), xid, p.op(), body, 0, System.nanoTime()));
        });
    }

    /**
     * The second handle is attached: one last write on this, the old connection (it must be refused
     * as moved), then this handle falls silent for good.
     */
    private void lastWord() {
        if (conn == null || handshaking) {
            silent = true;
            return;
        }
        int key = rnd.nextInt(seenVersion.length);
        String value = name() + "." + sessionNumber + ".moved";
        lastWord = sim.history().invoke(id, key, RegisterHistory.Kind.WRITE, -1, value, sim.now());
        sim.trace(this, "writes on its old connection " + conn + " after its session moved");
        send(new Pending(nextXid++, OpCode.SET_DATA, key, lastWord), new SetDataRequest(WholeServerSim.register(key),
                value.getBytes(StandardCharsets.UTF_8), -1));
        silent = true;
    }

    /** Whether this client's session is attached and has nothing in flight (the run may end). */
    boolean quiet() {
        return silent || retiring || conn != null && !handshaking && outstanding.stream().allMatch(p -> p.op() == OpCode.PING);
    }

    /** The session it holds now (0 while it has none), and its timeout. */
    long sessionId() {
        return handshaking || conn == null ? 0 : sessionId;
    }

    int timeoutMs() {
        return timeoutMs;
    }

    List<Object> state() {
        return List.of(name(), Long.toHexString(sessionId), conn == null ? "no connection" : conn.toString(),
                outstanding.size() + " outstanding");
    }
}
