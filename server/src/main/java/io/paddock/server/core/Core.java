package io.paddock.server.core;

import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.Id;
import io.paddock.protocol.Record;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.replication.Proposal;
import io.paddock.server.replication.ReplicationStatus;
import io.paddock.server.replication.Replicator;
import io.paddock.server.session.SessionTracker;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.storage.Storage;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.zab.ServerState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's core thread: the thin driver of {@link CoreStep}. Network threads and the
 * replicator hand it events through one queue (any thread); the core thread takes them in arrival
 * order, in batches, steps the core with each, flushes the connections once per batch, and gives
 * the core its idle work between batches. The read-only views below are for the core thread
 * (four-letter words and admin commands reach them through {@link #runOnCore} and {@link #ask}).
 */
public final class Core implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Core.class);
    /** Events handled per batch before connections are flushed. */
    private static final int BATCH = 512;

    private final CoreStep step;
    private final Replicator replicator;
    /** Events for the step, and the driver's own items: a {@link Task} or {@link #STOP}. */
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private static final Object STOP = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private Consumer<Throwable> onFatal = t -> { };

    public Core(ServerConfig config, Clock clock, StateMachine recovered, long replayedTxns, Replicator replicator,
                Storage storage, ServerStats stats) {
        this(config, 1, clock, recovered, replayedTxns, replicator, storage, stats);
    }

    /** A core whose session ids carry {@code serverId} in their top byte. */
    public Core(ServerConfig config, long serverId, Clock clock, StateMachine recovered, long replayedTxns,
                Replicator replicator, Storage storage, ServerStats stats) {
        this.step = new CoreStep(config, serverId, clock, new SecureRandom(), recovered, replayedTxns, replicator,
                storage, stats);
        this.replicator = replicator;
        this.thread = new Thread(this::run, "paddock-core");
        this.thread.setDaemon(true);
    }

    /** What to do when an invariant breaks and the core stops: the process owner decides. */
    public void onFatal(Consumer<Throwable> handler) {
        this.onFatal = handler;
    }

    public void start() {
        replicator.start(new Replicator.Listener() {
            @Override
            public void committed(Proposal p) {
                queue.add(new CoreEvent.Committed(p));
            }

            @Override
            public void failed(Throwable cause, List<Proposal> lost) {
                queue.add(new CoreEvent.StorageFailed(cause, lost));
            }

            @Override
            public void roleChanged(ServerState state, long leader, long epoch, boolean isServing) {
                queue.add(new CoreEvent.Role(state, leader, epoch, isServing));
            }

            @Override
            public void requestReceived(long from, long link, byte[] payload) {
                queue.add(new CoreEvent.FromLearner(from, link, payload));
            }

            @Override
            public void replyReceived(byte[] payload) {
                queue.add(new CoreEvent.FromLeader(payload));
            }

            @Override
            public void reset(StateMachine state) {
                queue.add(new CoreEvent.Reset(state));
            }

            @Override
            public void snapshotWanted() {
                queue.add(new CoreEvent.SnapshotWanted());
            }
        });
        thread.start();
    }

    // ---------------------------------------------------------------- entry points (any thread)

    public void connect(Connection conn, ConnectRequest request) {
        queue.add(new CoreEvent.Connect(conn, request));
    }

    /**
     * A request as it arrived: {@code identities} are the connection's identities at that moment
     * (an auth packet answered later must not change how an earlier request is judged).
     */
    public void request(Connection conn, List<Id> identities, int xid, int op, Record body, int decodeError,
                        long receivedNanos) {
        queue.add(new CoreEvent.Request(conn, identities, xid, op, body, decodeError, receivedNanos));
    }

    public void disconnected(Connection conn) {
        queue.add(new CoreEvent.Disconnected(conn));
    }

    public void tick() {
        queue.add(new CoreEvent.Tick());
    }

    /** Runs an action on the core thread (four-letter words read state this way). */
    public void runOnCore(Consumer<Core> action) {
        queue.add(new Task(action));
    }

    /** Anything that must run on the core thread, e.g. a four-letter word reading the tree. */
    private record Task(Consumer<Core> action) {
    }

    /**
     * Computes on the core thread (one consistent view of the state); the future completes there,
     * with the value or with what the computation threw.
     */
    public <T> CompletableFuture<T> ask(Function<Core, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        runOnCore(c -> {
            try {
                result.complete(query.apply(c));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---------------------------------------------------------------- read-only views (core thread)

    public StateMachine stateMachine() {
        return step.stateMachine();
    }

    public SessionTracker sessions() {
        return step.sessions();
    }

    /** Sessions this member made for itself alone (local sessions); safe from any thread. */
    public int localSessionCount() {
        return step.localSessionCount();
    }

    public ServerStats stats() {
        return step.stats();
    }

    public ServerConfig config() {
        return step.config();
    }

    /** Replication as operators see it (role, leader, followers). */
    public ReplicationStatus replication() {
        return replicator.status();
    }

    /** Whether this server serves clients now (an ensemble member only once it is synced to a leader). */
    public boolean serving() {
        return step.serving();
    }

    /** Whether this member, without a quorum, serves read-only clients (see {@link CoreStep#readOnly()}). */
    public boolean readOnly() {
        return step.readOnly();
    }

    public Set<Connection> connections() {
        return step.connections();
    }

    /** Whether writes are refused because the log could not be written (see {@link CoreStep#writesDisabled()}). */
    public boolean writesDisabled() {
        return step.writesDisabled();
    }

    /** Takes a snapshot now (tests and tools); false if one is already under way. Core thread only. */
    public boolean snapshotNow() {
        return step.snapshotNow();
    }

    /** A snapshot for an operator (see {@link CoreStep#takeSnapshot()}). Core thread only. */
    public CompletableFuture<Path> takeSnapshot() {
        return step.takeSnapshot();
    }

    /**
     * Replaces the whole state with {@code content} (see {@link CoreStep#restore}); completes with
     * the restored state's zxid once it is durable and clients are served again. Any thread.
     */
    public CompletableFuture<Long> restore(StateMachine content) {
        return ask(c -> step.restore(content)).thenCompose(durable -> durable.handle((zxid, failure) -> zxid)
                .thenCompose(zxid -> ask(c -> {
                    step.resumeAfterRestore();
                    return zxid;
                })).thenCompose(zxid -> durable));
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                long waitMs = step.idleWaitMs();
                Object first = waitMs < 0 ? queue.poll(1, TimeUnit.SECONDS)
                        : queue.poll(waitMs, TimeUnit.MILLISECONDS);
                if (first == null) {
                    step.idle();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (Object item : batch) {
                    if (item instanceof Task t) {
                        t.action().accept(this);
                    } else if (item == STOP) {
                        running = false;
                    } else {
                        step.handle((CoreEvent) item);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // An invariant broke: the state can no longer be trusted. Fail loudly and stop serving.
                LOG.error("core thread failed; the server stops serving", e);
                running = false;
                step.abortAll();
                onFatal.accept(e);
                return;
            } finally {
                batch.clear();
                step.flush();
            }
            step.idle();
        }
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replicator.close();
    }
}
