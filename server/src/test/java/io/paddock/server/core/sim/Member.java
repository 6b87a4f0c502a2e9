package io.paddock.server.core.sim;

import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Clock;
import io.paddock.server.core.CoreEvent;
import io.paddock.server.core.CoreStep;
import io.paddock.server.replication.Proposal;
import io.paddock.server.replication.ReplicationStatus;
import io.paddock.server.replication.Replicator;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.ZabCore;
import io.paddock.server.zab.ZabConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

/**
 * One complete server of the simulated ensemble: the real {@link CoreStep} (sessions, prep,
 * apply, replies) over the real {@link ZabCore}, with a disk whose log loses its unsynced tail
 * when the process dies. It carries out the zab core's actions in order as the server's
 * replication driver does, with an fsync that takes simulated time. Single-threaded: the
 * {@link WholeServerSim} calls it from its event loop only.
 */
final class Member {
    /** What the simulated ensemble's members are told in zoo.cfg (the step takes its limits from it). */
    static final ServerConfig CONFIG = config();

    final int id;
    final ZabConfig zabConfig;
    private final WholeServerSim sim;

    // The disk: it outlives the process.
    private long acceptedEpoch = -1;
    private long currentEpoch = -1;
    private long snapshotZxid;
    private final List<Entry> log = new ArrayList<>();
    private int durable;
    private long fsyncGeneration;
    private boolean fsyncInFlight;

    // The process.
    long incarnation;
    boolean alive;
    long pausedUntil;
    /** Ticks that came due while paused: they fire when it resumes. */
    boolean missedZabTick;
    boolean missedCoreTick;
    /** While paused: what reached the process, to run in order when it resumes; and when that is due. */
    final ArrayDeque<Runnable> held = new ArrayDeque<>();
    long resumeAt;
    CoreStep step;
    private ZabCore zab;
    private final ArrayDeque<Input> toZab = new ArrayDeque<>();
    private long delivered;
    ServerState role = ServerState.LOOKING;
    boolean serving;
    /** The leader and epoch of the last role change. */
    long leader = -1;
    long epoch = -1;

    Member(WholeServerSim sim, int id, ZabConfig zabConfig) {
        this.sim = sim;
        this.id = id;
        this.zabConfig = zabConfig;
    }

    private static ServerConfig config() {
        Properties p = new Properties();
        p.setProperty("tickTime", Integer.toString(WholeServerSim.TICK_TIME_MS));
        p.setProperty("dataDir", "/nonexistent/paddock-simulation");
        p.setProperty("clientPort", "2181");
        return ServerConfig.parse(p, "the simulation");
    }

    // ---------------------------------------------------------------- life

    /** Starts a process on what the disk holds: the unsynced tail of the log is gone. */
    void boot() {
        log.subList(durable, log.size()).clear();
        fsyncGeneration++;
        fsyncInFlight = false;
        incarnation++;
        alive = true;
        pausedUntil = 0;
        missedZabTick = false;
        missedCoreTick = false;
        held.clear();
        role = ServerState.LOOKING;
        serving = false;
        StateMachine sm = replay(log.size());
        delivered = sm.lastZxid();
        List<Entry> recent = new ArrayList<>();
        for (Entry e : log) {
            if (e.zxid() > snapshotZxid) {
                recent.add(e);
            }
        }
        int keep = zabConfig.commitLogCount();
        recent = recent.subList(Math.max(0, recent.size() - keep), recent.size());
        zab = new ZabCore(zabConfig, incarnation, acceptedEpoch, currentEpoch, snapshotZxid, delivered, recent);
        step = new CoreStep(CONFIG, id, sim.clock(), new Random(sim.random().nextLong()), sm, 0, new Replication(),
                null, new ServerStats());
        toZab.clear();
        run(() -> carryOut(zab.start()));
    }

    /** SIGKILL: the process is gone with everything not on the disk. */
    void crash() {
        alive = false;
        held.clear();
        step = null;
        zab = null;
        toZab.clear();
        role = ServerState.LOOKING;
        serving = false;
    }

    boolean paused() {
        return pausedUntil > sim.now();
    }

    /** The state the log holds up to entry {@code count} (exclusive), applied by the one apply function. */
    private StateMachine replay(int count) {
        StateMachine sm = new StateMachine(false);
        for (int i = 0; i < count; i++) {
            TxnCodec.Entry e = TxnCodec.decode(new JuteInput(log.get(i).data()));
            sm.apply(e.header(), e.txn(), new ArrayList<>());
        }
        return sm;
    }

    // ---------------------------------------------------------------- inputs

    /** Runs an input of the process, then everything it asked of replication. */
    void run(Runnable input) {
        input.run();
        while (alive && !toZab.isEmpty()) {
            carryOut(zab.step(toZab.poll()));
        }
        if (alive) {
            step.flush();
        }
    }

    void zabTick() {
        run(() -> carryOut(zab.step(new Input.Tick())));
    }

    void coreTick() {
        run(() -> step.handle(new CoreEvent.Tick()));
    }

    void receive(long from, Msg msg) {
        run(() -> carryOut(zab.step(new Input.Receive(from, msg))));
    }

    void peerDown(long peer) {
        run(() -> carryOut(zab.step(new Input.PeerDown(peer))));
    }

    void handle(CoreEvent event) {
        run(() -> step.handle(event));
    }

    // ---------------------------------------------------------------- the persistence contract

    private void carryOut(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof Action.Send s) {
                sim.network().send(this, (int) s.to(), s.msg());
            } else if (a instanceof Action.Append ap) {
                log.add(ap.entry());
                startFsync();
            } else if (a instanceof Action.Deliver d) {
                for (Entry e : d.entries()) {
                    Proposal p = e.local() instanceof Proposal own ? own : decode(e);
                    delivered = e.zxid();
                    if (p.txn() instanceof io.paddock.server.txn.Txn.CloseSession) {
                        sim.sessionClosed(p.header().sessionId());
                    }
                    List<io.paddock.server.tree.Node> kept = keptByBrokenClose(p);
                    step.handle(new CoreEvent.Committed(p));
                    for (io.paddock.server.tree.Node n : kept) {
                        step.stateMachine().tree().create(n.path(), n.data(), n.acl(), n.ephemeralOwner(), e.zxid(),
                                p.header().timeMs());
                    }
                    sim.applied(this, p);
                }
            } else if (a instanceof Action.PersistEpochs pe) {
                acceptedEpoch = pe.acceptedEpoch() >= 0 ? pe.acceptedEpoch() : acceptedEpoch;
                currentEpoch = pe.currentEpoch() >= 0 ? pe.currentEpoch() : currentEpoch;
            } else if (a instanceof Action.TruncateLog t) {
                truncate(t.zxid());
            } else if (a instanceof Action.InstallSnapshot s) {
                install(s.zxid(), s.data());
            } else if (a instanceof Action.TakeSnapshot) {
                toZab.add(new Input.SnapshotTaken(delivered, snapshot(delivered)));
            } else if (a instanceof Action.RequestReceived r) {
                step.handle(new CoreEvent.FromLearner(r.from(), r.link(), r.payload()));
            } else if (a instanceof Action.ReplyReceived r) {
                step.handle(new CoreEvent.FromLeader(r.payload()));
            } else if (a instanceof Action.RoleChanged r) {
                role = r.state();
                serving = r.serving();
                leader = r.leader();
                epoch = r.epoch();
                sim.roleChanged(r.serving() && r.state() == ServerState.LEADING);
                sim.trace(this, "role " + r.state() + " leader " + r.leader() + " epoch " + r.epoch()
                        + (r.serving() ? " serving" : ""));
                step.handle(new CoreEvent.Role(r.state(), r.leader(), r.epoch(), r.serving()));
            }
        }
    }

    /**
     * The broken variant {@link WholeServerSim.Variant#KEPT_EPHEMERALS}: on s1, a close leaves its
     * session's ephemerals in place (they are put back once it is applied).
     */
    private List<io.paddock.server.tree.Node> keptByBrokenClose(Proposal p) {
        if (sim.params.variant() != WholeServerSim.Variant.KEPT_EPHEMERALS || id != 1
                || !(p.txn() instanceof io.paddock.server.txn.Txn.CloseSession)) {
            return List.of();
        }
        io.paddock.server.tree.DataTree tree = step.stateMachine().tree();
        List<io.paddock.server.tree.Node> kept = new ArrayList<>();
        for (String path : tree.ephemeralsOf(p.header().sessionId())) {
            kept.add(tree.get(path));
        }
        return kept;
    }

    private static Proposal decode(Entry e) {
        TxnCodec.Entry decoded = TxnCodec.decode(new JuteInput(e.data()));
        if (decoded.header().zxid() != e.zxid()) {
            throw new IllegalStateException("txn " + e.zxid() + " carries zxid " + decoded.header().zxid());
        }
        return new Proposal(decoded.header(), decoded.txn(), null);
    }

    /** One fsync at a time covers every append made before it started; it reports when done. */
    private void startFsync() {
        if (fsyncInFlight || durable == log.size()) {
            return;
        }
        fsyncInFlight = true;
        long generation = fsyncGeneration;
        long inc = incarnation;
        int covers = log.size();
        sim.after(sim.fsyncDelayMs(), this, () -> {
            if (inc != incarnation || generation != fsyncGeneration) {
                return;
            }
            fsyncInFlight = false;
            if (sim.params.variant() != WholeServerSim.Variant.LYING_FSYNC) {
                durable = Math.max(durable, covers);
            }
            long zxid = log.get(covers - 1).zxid();
            run(() -> {
                carryOut(zab.step(new Input.Persisted(zxid)));
                startFsync();
            });
        });
    }

    /** TRUNC: synchronous; what remains is durable. */
    private void truncate(long zxid) {
        int keep = 0;
        while (keep < log.size() && log.get(keep).zxid() <= zxid) {
            keep++;
        }
        log.subList(keep, log.size()).clear();
        durable = log.size();
        fsyncGeneration++;
        fsyncInFlight = false;
        if (delivered > zxid) {
            StateMachine sm = replay(log.size());
            delivered = sm.lastZxid();
            step.handle(new CoreEvent.Reset(sm));
        }
    }

    /** SNAP: the leader's applied history replaces this server's, durably. */
    private void install(long zxid, byte[] data) {
        JuteInput in = new JuteInput(data);
        int n = in.readInt();
        log.clear();
        for (int i = 0; i < n; i++) {
            long z = in.readLong();
            log.add(new Entry(z, in.readBuffer(), null));
        }
        durable = log.size();
        fsyncGeneration++;
        fsyncInFlight = false;
        snapshotZxid = zxid;
        StateMachine sm = replay(log.size());
        if (sm.lastZxid() != zxid) {
            throw new IllegalStateException("the snapshot for " + zxid + " holds up to " + sm.lastZxid());
        }
        delivered = zxid;
        step.handle(new CoreEvent.Reset(sm));
    }

    /** This simulation's snapshot: every logged txn up to {@code zxid}, which rebuilds the applied state. */
    private byte[] snapshot(long zxid) {
        List<Entry> upTo = new ArrayList<>();
        for (Entry e : log) {
            if (e.zxid() <= zxid) {
                upTo.add(e);
            }
        }
        JuteOutput out = new JuteOutput(1024);
        out.writeInt(upTo.size());
        for (Entry e : upTo) {
            out.writeLong(e.zxid());
            out.writeBuffer(e.data());
        }
        return out.toByteArray();
    }

    /** Every txn of the log, in order: once everything healed, the committed history. */
    List<TxnCodec.Entry> committed() {
        List<TxnCodec.Entry> out = new ArrayList<>(log.size());
        for (Entry e : log) {
            out.add(TxnCodec.decode(new JuteInput(e.data())));
        }
        return out;
    }

    /** The txns of the log after zxid {@code after} and before {@code before}, in order. */
    List<TxnCodec.Entry> logged(long after, long before) {
        List<TxnCodec.Entry> out = new ArrayList<>();
        for (Entry e : log) {
            if (e.zxid() > after && e.zxid() < before) {
                out.add(TxnCodec.decode(new JuteInput(e.data())));
            }
        }
        return out;
    }

    /** What the step asks of replication: handed to the zab core once the step returns. */
    private final class Replication implements Replicator {
        @Override
        public void start(Listener listener) {
        }

        @Override
        public void propose(Proposal p) {
            toZab.add(new Input.Propose(new Entry(p.header().zxid(), TxnCodec.encode(p.header(), p.txn()), p)));
        }

        @Override
        public void rollLog() {
        }

        @Override
        public void forward(byte[] payload) {
            toZab.add(new Input.SendRequest(payload));
        }

        @Override
        public void reply(long to, long link, byte[] payload) {
            toZab.add(new Input.SendReply(to, link, payload));
        }

        @Override
        public ReplicationStatus status() {
            return new ReplicationStatus(false, role, -1, 0, 0, 0, 0, 0, -1, null);
        }

        @Override
        public void close() {
        }
    }

    String describe() {
        return "s" + id + "#" + incarnation + (alive ? (paused() ? " paused" : "") + " " + role
                + (serving ? " serving" : "") + " at " + Long.toHexString(delivered) : " down")
                + " log " + log.size() + " (durable " + durable + ")";
    }
}
