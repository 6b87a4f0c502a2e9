package io.paddock.server.core.sim;

import io.paddock.protocol.ACL;
import io.paddock.protocol.CheckVersionRequest;
import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.Create2Response;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.CreateResponse;
import io.paddock.protocol.DeleteRequest;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.ExistsRequest;
import io.paddock.protocol.ExistsResponse;
import io.paddock.protocol.GetChildren2Request;
import io.paddock.protocol.GetChildren2Response;
import io.paddock.protocol.GetDataRequest;
import io.paddock.protocol.GetDataResponse;
import io.paddock.protocol.Id;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.MultiResponse;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.OpResult;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.SetDataRequest;
import io.paddock.protocol.SetDataResponse;
import io.paddock.protocol.SetWatches2;
import io.paddock.protocol.Stat;
import io.paddock.protocol.SyncRequest;
import io.paddock.protocol.WatcherEvent;
import io.paddock.protocol.Xid;
import io.paddock.server.core.CoreEvent;
import io.paddock.server.core.sim.RegisterHistory.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A client that behaves as ZooKeeper's do: one session, taken from server to server; requests
 * pipelined on one connection; a ping when idle; when it has heard nothing for two thirds of its
 * timeout, or its connection goes, it re-attaches its session to another server, telling it the
 * last zxid it saw, and sends first (setWatches) the watches it holds that have not fired; when
 * told its session expired, it starts a new one, with no watches. It reads registers and their
 * children (getData, exists, getChildren, now and then setting a watch), writes them (setData,
 * compare-and-set, create and delete of a named child, sequential creates, multis of several
 * steps on one register), creates ephemerals (named ones that clients contend for, and sequential
 * ones) under {@link EphemeralHistory#PARENT}, deletes some of its own, reads and watches them and
 * that parent's children, records the writes for the linearizability check and its watches for
 * the watch check, and checks what it is promised as it goes: replies in request order, a view
 * that never goes back, a watch fires once, its ephemerals are there, its own, while its session lives.
 */
final class SimClient {
    private static final int MAX_OUTSTANDING = 3;
    private static final List<ACL> OPEN = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));
    /** The name a sequential child is created with; the server appends its number. */
    static final String SEQUENTIAL = "q";

    /** The named ephemerals clients contend for, as for a lock; sequential ones are named from {@link #EPHEMERAL_SEQ}. */
    private static final List<String> LOCKS = List.of(EphemeralHistory.PARENT + "/lock0", EphemeralHistory.PARENT + "/lock1");
    private static final String EPHEMERAL_SEQ = EphemeralHistory.PARENT + "/s";

    /**
     * A request waiting for its reply; {@code watch}: the watch it sets on {@code path}, if any;
     * {@code eph}: the request as the ephemerals' check knows it, if it is about them.
     */
    private record Pending(int xid, int op, int key, RegisterHistory.Op write, long syncSentAt, String path,
                           WatchHistory.Kind watch, EphemeralHistory.Op eph) {
        Pending(int xid, int op, int key, RegisterHistory.Op write) {
            this(xid, op, key, write, -1, null, null);
        }

        Pending(int xid, int op, int key, RegisterHistory.Op write, long syncSentAt, String path, WatchHistory.Kind watch) {
            this(xid, op, key, write, syncSentAt, path, watch, null);
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
    /** The highest version and cversion of each register this session has seen: it must never see a lower one. */
    private final int[] seenVersion;
    private final int[] seenCversion;
    /** The ephemerals this session was told it created, less those this handle has since asked to delete. */
    private final Set<String> ownEphemerals = new TreeSet<>();
    /** The watches this handle set, and what it learnt of them. */
    final WatchHistory watches;
    /** Frozen (a stopped VM, a dead route): it sends nothing more, and keeps its connection open. */
    boolean silent;
    /**
     * A second handle on this session is being opened elsewhere: this one stops its work, does not
     * reconnect, and once the other is attached makes one last write, which must not be applied.
     */
    private boolean retiring;
    /** This handle sent closeSession: it sends nothing more on this session. */
    private boolean closing;
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
        this.seenCversion = new int[keys];
        // The registers, then the ephemerals' parent.
        this.created = new boolean[keys + 1];
        this.creating = new boolean[keys + 1];
        this.watches = new WatchHistory("c" + id);
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
        System.arraycopy(first.seenCversion, 0, c.seenCversion, 0, keys);
        c.ownEphemerals.addAll(first.ownEphemerals);
        c.avoid = first.conn.server;
        c.movedFrom = first;
        first.retiring = true;
        return c;
    }

    /** Whether this handle holds a session on a connection and may be moved (it is a normal, busy client). */
    boolean movable() {
        return conn != null && !handshaking && !silent && !retiring && !setup && !closing && movedFrom == null
                && sessionId != 0;
    }

    /** Whether this handle is the live one of its session (not silent, not handing over to another, not closing it). */
    boolean freezable() {
        return !silent && !retiring && !closing;
    }

    /** The ephemerals this handle knows its session owns (none once it was told the session expired). */
    Set<String> ownEphemerals() {
        return toldExpired ? Set.of() : Set.copyOf(ownEphemerals);
    }

    /** Whether this handle is connected, and will be to the end: its watches must fire when their node changes. */
    boolean live() {
        return !silent && !retiring && conn != null && !handshaking;
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
            if (p.op() == OpCode.CREATE && setup) {
                creating[p.key()] = false;
            }
        }
        outstanding.clear();
        // A close whose answer was lost: the next handshake learns whether it was applied.
        closing = false;
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
            handshake(c, f);
            return;
        }
        ReplyHeader h = f.header();
        if (h.xid() == Xid.NOTIFICATION) {
            WatcherEvent e = (WatcherEvent) f.body();
            sim.trace(this, "event " + io.paddock.protocol.EventType.fromCode(e.type()) + " " + e.path() + " zxid "
                    + Long.toHexString(h.zxid()) + " on " + c);
            String twice = watches.fired(sim.now(), e.type(), e.path(), h.zxid());
            if (twice != null) {
                sim.fail(twice);
            }
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
        if (p.op() == OpCode.SET_WATCHES) {
            watches.rewatched(sim.now(), h.zxid());
        } else {
            watches.seen(sim.now(), h.zxid());
        }
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
        answered(p, h.err(), f.body(), h.zxid());
    }

    private void handshake(SimConnection c, SimConnection.Frame f) {
        if (f.handshake().timeOut() <= 0) {
            sim.trace(this, "session " + Long.toHexString(sessionId) + " expired; starting a new one");
            forgetSession();
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
        if (watches.watching()) {
            // As ZooKeeper's client: the watches not yet fired go first, as of the last zxid seen.
            List<List<String>> w = watches.toRewatch();
            sim.trace(this, "sets its watches again: " + w);
            send(new Pending(Xid.SET_WATCHES, OpCode.SET_WATCHES, -1, null),
                    new SetWatches2(lastZxidSeen, w.get(0), w.get(1), w.get(2), null, null));
        }
    }

    /** The session is over (expired, or closed by this handle): the next connection asks for a new one. */
    private void forgetSession() {
        sessionId = 0;
        password = new byte[16];
        sessionNumber++;
        toldExpired = false;
        closing = false;
        Arrays.fill(seenVersion, 0);
        Arrays.fill(seenCversion, 0);
        ownEphemerals.clear();
        watches.forget(sim.now());
    }

    /**
     * The client ends its session. Once the close is answered it is committed: its ephemerals went
     * with it (EphemeralHistory checks the close against what the session owned), and the session
     * can never be used again (the next handshake with it would be told it expired).
     */
    private void closeSession() {
        closing = true;
        sim.trace(this, "closes session " + Long.toHexString(sessionId));
        send(new Pending(nextXid++, OpCode.CLOSE_SESSION, -1, null), null);
    }

    private void closed(int err) {
        if (err != 0) {
            sim.fail(name() + ": closeSession of " + Long.toHexString(sessionId) + " failed with "
                    + ErrorCode.fromCode(err));
            return;
        }
        if (!sim.closeApplied(sessionId)) {
            sim.fail(name() + ": closeSession of " + Long.toHexString(sessionId) + " was answered, but no server has"
                    + " applied it");
            return;
        }
        sim.trace(this, "session " + Long.toHexString(sessionId) + " closed; starting a new one");
        forgetSession();
        SimConnection c = conn;
        sim.network().closeFromClient(c);
        lost(c);
    }

    private void answered(Pending p, int err, Record body, long zxid) {
        if (p.op() == OpCode.PING || p.op() == OpCode.SET_WATCHES) {
            if (err != 0) {
                sim.fail(name() + ": " + OpCode.name(p.op()) + " failed with " + ErrorCode.fromCode(err));
            }
            return;
        }
        if (setup && p.op() == OpCode.CREATE) {
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
        if (p.eph() != null) {
            ephemeral(p, err, body, zxid);
            return;
        }
        switch (p.op()) {
            case OpCode.SYNC -> {
                if (err != 0) {
                    sim.fail(name() + ": sync failed with " + ErrorCode.fromCode(err));
                }
            }
            case OpCode.GET_DATA, OpCode.EXISTS, OpCode.GET_CHILDREN2 -> read(p, err, body, zxid);
            case OpCode.CLOSE_SESSION -> closed(err);
            default -> written(p, err, body);
        }
    }

    /** A request about ephemerals answered: checked against the log, and against what this session owns. */
    private void ephemeral(Pending p, int err, Record body, long zxid) {
        EphemeralHistory.Op op = p.eph();
        boolean missing = err == ErrorCode.NO_NODE.code();
        boolean refusable = p.op() == OpCode.DELETE || p.op() == OpCode.EXISTS || p.op() == OpCode.GET_DATA ? missing
                : p.op() != OpCode.GET_CHILDREN2 && err == ErrorCode.NODE_EXISTS.code();
        if (err != 0 && !refusable) {
            sim.fail(name() + ": " + op + " failed with " + ErrorCode.fromCode(err));
            return;
        }
        String broken;
        if (p.op() == OpCode.CREATE || p.op() == OpCode.CREATE2) {
            String created = body instanceof CreateResponse c ? c.path() : body instanceof Create2Response c ? c.path() : null;
            broken = sim.ephemerals().written(op, err, created, body instanceof Create2Response c ? c.stat() : null, zxid);
            if (err == 0) {
                ownEphemerals.add(created);
            }
        } else if (p.op() == OpCode.DELETE) {
            broken = sim.ephemerals().written(op, err, null, null, zxid);
            if (broken == null && missing) {
                broken = "its own ephemeral was gone while its session lived";
            }
        } else {
            if (p.watch() != null && (err == 0 || p.op() == OpCode.EXISTS)) {
                watches.set(sim.now(), p.path(), missing ? WatchHistory.Kind.EXIST : p.watch(), zxid);
            }
            Stat stat = body instanceof GetDataResponse g ? g.stat() : body instanceof ExistsResponse e ? e.stat() : null;
            broken = sim.ephemerals().read(op, stat, body instanceof GetChildren2Response g ? g.children() : null, zxid);
            if (broken == null && ownEphemerals.contains(p.path()) && (stat == null || stat.ephemeralOwner() != sessionId)) {
                broken = "shows its own ephemeral " + (stat == null ? "missing" : "owned by " + Long.toHexString(
                        stat.ephemeralOwner())) + " while its session lives";
            }
        }
        if (broken != null) {
            sim.fail(name() + " on " + conn + ": " + broken);
        }
    }

    /** A read answered: what it shows of its register, and the watch it set. */
    private void read(Pending p, int err, Record body, long zxid) {
        boolean missingChild = p.op() == OpCode.EXISTS && err == ErrorCode.NO_NODE.code()
                && !p.path().equals(WholeServerSim.register(p.key()));
        if (err != 0 && !missingChild) {
            sim.fail(name() + ": " + OpCode.name(p.op()) + " of " + p.path() + " failed with " + ErrorCode.fromCode(err));
            return;
        }
        if (p.watch() != null) {
            WatchHistory.Kind kind = missingChild ? WatchHistory.Kind.EXIST : p.watch();
            watches.set(sim.now(), p.path(), kind, zxid);
        }
        Stat stat = err != 0 ? null : body instanceof GetDataResponse g ? g.stat()
                : body instanceof ExistsResponse e ? e.stat() : ((GetChildren2Response) body).stat();
        if (stat == null || !p.path().equals(WholeServerSim.register(p.key()))) {
            return;
        }
        if (p.syncSentAt() >= 0) {
            RegisterHistory.Op acked = sim.history().lastAckedBefore(p.key(), p.syncSentAt());
            if (acked != null && stat.version() < acked.version) {
                sim.fail(name() + " on " + conn + ": a read of register " + p.key() + " after a sync sent at "
                        + p.syncSentAt() + " shows version " + stat.version() + ", but " + acked
                        + " was acknowledged before the sync was sent");
                return;
            }
        }
        seen(p.key(), stat, "read");
    }

    /** A write answered: done (with what it reported), or refused at some step (a read of the state that refused it). */
    private void written(Pending p, int err, Record body) {
        RegisterHistory.Op w = p.write();
        if (w == lastWord) {
            sim.fail(name() + ": " + w + ", sent on the old connection of a session that had moved to another server,"
                    + " was answered " + (err == 0 ? "OK: applied" : ErrorCode.fromCode(err)));
            return;
        }
        if (err != 0) {
            if (!refusable(err)) {
                sim.fail(name() + ": " + w + " failed with " + ErrorCode.fromCode(err));
                return;
            }
            sim.history().refused(w, 0, err, sim.now());
            return;
        }
        List<OpResult> results = body instanceof MultiResponse m ? m.results() : List.of(new OpResult(p.op(), 0, body));
        if (results.size() != w.steps.size()) {
            sim.fail(name() + ": " + w + " was answered with " + results.size() + " results");
            return;
        }
        int version = -1;
        int cversion = -1;
        int seq = -1;
        for (int i = 0; i < results.size(); i++) {
            OpResult r = results.get(i);
            if (r.err() != 0) {
                if (!refusable(r.err())) {
                    sim.fail(name() + ": " + w + " failed at step " + i + " with " + ErrorCode.fromCode(r.err()));
                    return;
                }
                sim.history().refused(w, i, r.err(), sim.now());
                return;
            }
            if (r.body() instanceof SetDataResponse s) {
                version = s.stat().version();
                cversion = s.stat().cversion();
                seen(p.key(), s.stat(), "write");
            } else if (r.body() instanceof CreateResponse c && w.steps.get(i).kind() == RegisterHistory.Kind.CREATE_SEQ) {
                String prefix = WholeServerSim.register(p.key()) + "/" + SEQUENTIAL;
                if (!c.path().startsWith(prefix)) {
                    sim.fail(name() + ": " + w + " created " + c.path());
                    return;
                }
                seq = Integer.parseInt(c.path().substring(prefix.length()));
            }
        }
        sim.history().ok(w, version, cversion, seq, sim.now());
    }

    /** Errors a write of this workload may be refused with, as its state demands. */
    private static boolean refusable(int err) {
        return err == ErrorCode.BAD_VERSION.code() || err == ErrorCode.NODE_EXISTS.code()
                || err == ErrorCode.NO_NODE.code();
    }

    private void seen(int key, Stat stat, String how) {
        if (stat.version() < seenVersion[key] || stat.cversion() < seenCversion[key]) {
            sim.fail(name() + " session " + Long.toHexString(sessionId) + ": a " + how + " of register " + key
                    + " shows version " + stat.version() + " cversion " + stat.cversion() + " after the session saw"
                    + " version " + seenVersion[key] + " cversion " + seenCversion[key]);
        }
        seenVersion[key] = Math.max(seenVersion[key], stat.version());
        seenCversion[key] = Math.max(seenCversion[key], stat.cversion());
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
                    String path = k < seenVersion.length ? WholeServerSim.register(k) : EphemeralHistory.PARENT;
                    send(new Pending(nextXid++, OpCode.CREATE, k, null), new CreateRequest(path, new byte[0], OPEN, 0));
                }
            }
            return;
        }
        if (outstanding.size() >= MAX_OUTSTANDING || closing) {
            return;
        }
        if (sim.clientsStopped()) {
            // One of the clients falls silent now, owning an ephemeral: one that owns none makes one.
            if (ownEphemerals.isEmpty() && outstanding.stream().noneMatch(p -> p.eph() != null)) {
                createEphemeral(true);
            }
            return;
        }
        if (rnd.nextInt(300) == 0 && movedFrom == null) {
            closeSession();
            return;
        }
        int key = rnd.nextInt(seenVersion.length);
        String path = WholeServerSim.register(key);
        int choice = rnd.nextInt(24);
        boolean watch = rnd.nextBoolean();
        if (choice < 2) {
            // sync, then a read: it must see every write acknowledged (to anyone) before the sync was sent.
            long sentAt = sim.now();
            send(new Pending(nextXid++, OpCode.SYNC, key, null), new SyncRequest(path));
            send(new Pending(nextXid++, OpCode.GET_DATA, key, null, sentAt, path, null), new GetDataRequest(path, false));
        } else if (choice < 5) {
            send(new Pending(nextXid++, OpCode.GET_DATA, key, null, -1, path, watch ? WatchHistory.Kind.DATA : null),
                    new GetDataRequest(path, watch));
        } else if (choice < 6) {
            // exists with a watch: of the register, or of a child that may be missing (an exist watch then).
            String which = rnd.nextBoolean() ? path : child(key, rnd.nextInt(RegisterHistory.CHILDREN.size()));
            send(new Pending(nextXid++, OpCode.EXISTS, key, null, -1, which, WatchHistory.Kind.DATA),
                    new ExistsRequest(which, true));
        } else if (choice < 8) {
            send(new Pending(nextXid++, OpCode.GET_CHILDREN2, key, null, -1, path, watch ? WatchHistory.Kind.CHILD : null),
                    new GetChildren2Request(path, watch));
        } else if (choice < 11) {
            write(key, OpCode.SET_DATA, List.of(Step.set()));
        } else if (choice < 14) {
            write(key, OpCode.SET_DATA, List.of(Step.cas(expected(key))));
        } else if (choice < 15) {
            write(key, OpCode.CREATE, List.of(Step.create(rnd.nextInt(RegisterHistory.CHILDREN.size()))));
        } else if (choice < 16) {
            write(key, OpCode.DELETE, List.of(Step.delete(rnd.nextInt(RegisterHistory.CHILDREN.size()))));
        } else if (choice < 17) {
            write(key, OpCode.CREATE, List.of(Step.createSequential()));
        } else if (choice >= 20) {
            ephemeral();
        } else {
            int x = rnd.nextInt(RegisterHistory.CHILDREN.size());
            write(key, OpCode.MULTI, switch (rnd.nextInt(3)) {
                case 0 -> List.of(Step.check(expected(key)), Step.create(x));
                case 1 -> List.of(Step.create(x), Step.delete(1 - x));
                default -> List.of(rnd.nextBoolean() ? Step.set() : Step.cas(expected(key)), Step.createSequential());
            });
        }
    }

    /** A request about ephemerals: create one (named or sequential), delete one of its own, read them. */
    private void ephemeral() {
        int choice = rnd.nextInt(8);
        boolean watch = rnd.nextBoolean();
        if (choice < 3 || choice == 3 && ownEphemerals.isEmpty()) {
            createEphemeral(choice < 2);
        } else if (choice == 3) {
            List<String> own = new ArrayList<>(ownEphemerals);
            String victim = own.get(rnd.nextInt(own.size()));
            // No longer counted as its own: whatever the reply, this handle does not ask again.
            ownEphemerals.remove(victim);
            sendEphemeral(OpCode.DELETE, victim, new DeleteRequest(victim, -1), null);
        } else if (choice < 7) {
            List<String> known = new ArrayList<>(LOCKS);
            known.addAll(ownEphemerals);
            String which = known.get(rnd.nextInt(known.size()));
            if (choice < 6) {
                sendEphemeral(OpCode.EXISTS, which, new ExistsRequest(which, watch), watch ? WatchHistory.Kind.DATA : null);
            } else {
                sendEphemeral(OpCode.GET_DATA, which, new GetDataRequest(which, watch), watch ? WatchHistory.Kind.DATA : null);
            }
        } else {
            sendEphemeral(OpCode.GET_CHILDREN2, EphemeralHistory.PARENT, new GetChildren2Request(EphemeralHistory.PARENT,
                    watch), watch ? WatchHistory.Kind.CHILD : null);
        }
    }

    /** Creates an ephemeral: a sequential one, or one of the named ones others may hold. */
    private void createEphemeral(boolean sequential) {
        String path = sequential ? EPHEMERAL_SEQ : LOCKS.get(rnd.nextInt(LOCKS.size()));
        CreateMode mode = sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
        byte[] data = (name() + "." + sessionNumber).getBytes(StandardCharsets.UTF_8);
        sendEphemeral(rnd.nextBoolean() ? OpCode.CREATE : OpCode.CREATE2, path, new CreateRequest(path, data, OPEN,
                mode.flag()), null);
    }

    private void sendEphemeral(int op, String path, Record body, WatchHistory.Kind watch) {
        EphemeralHistory.Op e = new EphemeralHistory.Op(sessionId, nextXid, op, path, sim.now());
        send(new Pending(nextXid++, op, -1, null, -1, path, watch, e), body);
    }

    /** The version a conditional step expects: the one this session last saw (now and then a stale one). */
    private int expected(int key) {
        return Math.max(0, seenVersion[key] - (rnd.nextInt(4) == 0 ? 1 : 0));
    }

    private static String child(int key, int child) {
        return WholeServerSim.register(key) + "/" + RegisterHistory.CHILDREN.get(child);
    }

    /** Sends a write of {@code steps} on register {@code key}: one request of {@code op}, or a multi. */
    private void write(int key, int op, List<Step> steps) {
        String value = name() + "." + sessionNumber + "." + (++writes);
        RegisterHistory.Op w = sim.history().invoke(id, key, steps, value, sim.now());
        List<MultiOp> requests = new ArrayList<>();
        for (Step s : steps) {
            requests.add(request(key, s, value));
        }
        send(new Pending(nextXid++, op, key, w), op == OpCode.MULTI ? new MultiRequest(requests) : requests.get(0).request());
    }

    private static MultiOp request(int key, Step s, String value) {
        String path = WholeServerSim.register(key);
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        return switch (s.kind()) {
            case WRITE, CAS -> new MultiOp(OpCode.SET_DATA, new SetDataRequest(path, data, s.expected()));
            case CHECK -> new MultiOp(OpCode.CHECK, new CheckVersionRequest(path, s.expected()));
            case CREATE -> new MultiOp(OpCode.CREATE, new CreateRequest(child(key, s.child()), data, OPEN,
                    CreateMode.PERSISTENT.flag()));
            case CREATE_SEQ -> new MultiOp(OpCode.CREATE, new CreateRequest(path + "/" + SEQUENTIAL, data, OPEN,
                    CreateMode.PERSISTENT_SEQUENTIAL.flag()));
            case DELETE -> new MultiOp(OpCode.DELETE, new DeleteRequest(child(key, s.child()), -1));
            case OBSERVE -> throw new IllegalArgumentException("not a write: " + s);
        };
    }

    private void send(Pending p, Record body) {
        SimConnection c = conn;
        outstanding.add(p);
        lastSentAt = sim.now();
        int xid = p.op() == OpCode.PING ? Xid.PING : p.xid();
        if (p.op() != OpCode.PING) {
            sim.trace(this, "sends " + OpCode.name(p.op()) + " xid " + xid + (p.write() != null ? " " + p.write().steps
                    : p.path() != null ? " " + p.path() + (p.watch() != null ? " watch" : "") : "") + " on " + c);
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
        lastWord = sim.history().invoke(id, key, List.of(Step.set()), value, sim.now());
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
