package io.paddock.server;

import io.paddock.server.admin.AdminConfig;
import io.paddock.server.admin.AdminServer;
import io.paddock.server.admin.MetricsConfig;
import io.paddock.server.admin.MetricsServer;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.jmx.ServerJmx;
import io.paddock.server.core.Clock;
import io.paddock.server.core.Core;
import io.paddock.server.net.ClientListener;
import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.storage.Recovery;
import io.paddock.server.storage.Storage;
import io.paddock.server.config.PeerSpec;
import io.paddock.server.peer.PeerAddress;
import io.paddock.server.replication.QuorumReplicator;
import io.paddock.server.replication.PeerSecurities;
import io.paddock.server.replication.QuorumSettings;
import io.paddock.server.replication.Replicator;
import io.paddock.server.replication.SoloReplicator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Paddock server: the core thread, the replication step (a quorum of one), the client
 * listener and the ticker that drives session expiry and the container reaper.
 */
public final class PaddockServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaddockServer.class);

    private final Core core;
    private final ClientListener listener;
    private final ScheduledExecutorService ticker;
    private final CompletableFuture<Throwable> failure;
    private final Storage storage;
    private volatile AdminServer admin;
    private volatile MetricsServer metricsServer;
    private volatile ServerJmx jmx;

    private PaddockServer(Core core, ClientListener listener, ScheduledExecutorService ticker,
                          CompletableFuture<Throwable> failure, Storage storage) {
        this.core = core;
        this.listener = listener;
        this.ticker = ticker;
        this.failure = failure;
        this.storage = storage;
    }

    /**
     * Recovers the data directory, then starts serving; returns once clients are accepted. Throws
     * {@link UncheckedIOException} when the port or the data directory cannot be used and
     * {@link io.paddock.server.storage.StorageException} when the data on disk is damaged.
     */
    public static PaddockServer start(ServerConfig config) {
        // The admin and metrics keys come from the zoo.cfg file; a configuration built in memory has
        // neither server.
        return start(config, AdminConfig.forSource(config.source()), MetricsConfig.forSource(config.source()));
    }

    /** As {@link #start(ServerConfig)} with explicit admin HTTP server settings. */
    public static PaddockServer start(ServerConfig config, AdminConfig adminConfig) {
        return start(config, adminConfig, MetricsConfig.forSource(config.source()));
    }

    /** As {@link #start(ServerConfig)} with explicit admin server and metrics endpoint settings. */
    public static PaddockServer start(ServerConfig config, AdminConfig adminConfig, MetricsConfig metricsConfig) {
        Metrics metrics = new Metrics(metricsConfig.windowSeconds());
        ServerStats stats = new ServerStats(metrics);
        Storage storage;
        Recovery.Result recovered;
        Replicator replicator;
        try {
            storage = new Storage(config, metrics);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
        try {
            long startNanos = System.nanoTime();
            recovered = storage.recover();
            long recoveryMs = (System.nanoTime() - startNanos) / 1_000_000;
            metrics.dbInitTime.record(recoveryMs);
            metrics.startupTxnsLoaded.record(recovered.replayed());
            LOG.info("data directory recovered in {} ms", recoveryMs);
            // An ensemble member replicates through Zab (which owns the log); a standalone server is a
            // quorum of one whose log writer commits.
            replicator = config.ensemble() ? new QuorumReplicator(quorumSettings(config), storage, recovered, metrics)
                    : new SoloReplicator(storage.openLog());
        } catch (IOException e) {
            closeQuietly(storage);
            throw new UncheckedIOException("cannot recover data directory " + config.dataDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(storage);
            throw e;
        }
        long serverId = config.ensemble() ? config.myId() : 1;
        Core core = new Core(config, serverId, Clock.SYSTEM, recovered.state(), recovered.replayed(), replicator,
                storage, stats);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        core.onFatal(cause -> {
            metrics.unrecoverableErrorCount.increment();
            failure.complete(cause);
        });
        if (replicator instanceof QuorumReplicator quorum) {
            // Out of the ensemble until restarted: stop, so that a supervisor (or the operator) restarts it.
            quorum.failure().thenAccept(failure::complete);
        }
        core.start();
        ClientListener listener;
        try {
            listener = ClientListener.start(config, core, stats);
        } catch (IOException e) {
            core.close();
            closeQuietly(storage);
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            // A TLS store that cannot be loaded (a ConfigException naming its key and file).
            core.close();
            closeQuietly(storage);
            throw e;
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "paddock-ticker");
            t.setDaemon(true);
            return t;
        });
        // Expiry is checked each tick; a finer period would only add work, a coarser one lateness.
        long period = Math.max(10, Math.min(config.tickTimeMs(), config.containerCheckIntervalMs()));
        ticker.scheduleAtFixedRate(core::tick, period, period, TimeUnit.MILLISECONDS);
        if (config.purgeIntervalHours() > 0) {
            long hours = config.purgeIntervalHours();
            ticker.scheduleWithFixedDelay(() -> {
                try {
                    storage.purge(config.snapRetainCount());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("autopurge failed: {}", e.toString());
                }
            }, hours, hours, TimeUnit.HOURS);
        }
        if (config.ensemble()) {
            LOG.info("Paddock {} listening for ZooKeeper clients on port {} (server {} of an ensemble of {}, dataDir {});"
                    + " clients are served once a leader is established", Version.paddock(), listener.port(),
                    config.myId(), config.peers().size(), config.dataDir());
        } else {
            LOG.info("Paddock {} serving ZooKeeper clients on port {} (standalone, dataDir {})", Version.paddock(),
                    listener.port(), config.dataDir());
        }
        if (listener.securePort() >= 0) {
            LOG.info("TLS-only client port {} (secureClientPort){}", listener.securePort(),
                    listener.port() < 0 ? "; no plaintext client port" : "");
        }
        PaddockServer server = new PaddockServer(core, listener, ticker, failure, storage);
        try {
            server.admin = AdminServer.startOrWarn(adminConfig, core, config, stats);
        } catch (RuntimeException e) {
            // HTTPS asked for with a store that cannot be loaded (a ConfigException naming its key and file).
            server.close();
            throw e;
        }
        try {
            int voters = (int) config.peers().stream().filter(PeerSpec::voter).count();
            server.metricsServer = MetricsServer.start(metricsConfig, core, stats, voters);
        } catch (IOException e) {
            // As Apache's provider: metrics were asked for, so a server without them must not start.
            server.close();
            throw new UncheckedIOException(e.getMessage(), e);
        }
        server.jmx = ServerJmx.start(config, core, stats, listener.port(), listener.securePort());
        // A server whose state machine failed must not keep accepting clients it cannot answer.
        failure.thenRun(() -> {
            ticker.shutdownNow();
            listener.close();
        });
        return server;
    }

    /** The ensemble as the replicator needs it. */
    static QuorumSettings quorumSettings(ServerConfig config) {
        Set<Long> voters = new TreeSet<>();
        Set<Long> observers = new TreeSet<>();
        List<PeerAddress> peers = new ArrayList<>();
        for (PeerSpec p : config.peers()) {
            (p.observer() ? observers : voters).add(p.id());
            peers.add(new PeerAddress(p.id(), p.host(), p.quorumPort(), p.electionPort()));
        }
        return new QuorumSettings(config.myId(), voters, observers, peers, config.tickTimeMs(), config.initLimit(),
                config.syncLimit(), config.commitLogCount(), config.quorumListenOnAllIPs() ? "0.0.0.0" : null,
                config.cnxTimeoutMs(), config.extendedTypesEnabled(), PeerSecurities.from(config));
    }

    /** Completes with the cause if the server stopped serving because an invariant broke. */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /** The port the client listener is bound to (useful with clientPort=0). */
    public int clientPort() {
        return listener.port();
    }

    /** The port the TLS-only client listener is bound to ({@code secureClientPort}), or -1 when there is none. */
    public int secureClientPort() {
        return listener.securePort();
    }

    /** The port the admin HTTP server is bound to, or -1 when there is none. */
    public int adminPort() {
        AdminServer a = admin;
        return a == null ? -1 : a.port();
    }

    /** The port the Prometheus metrics endpoint is bound to, or -1 when there is none. */
    public int metricsPort() {
        MetricsServer m = metricsServer;
        return m == null ? -1 : m.port();
    }

    /** Stops accepting clients, closes every connection and releases every thread and port. */
    @Override
    public void close() {
        ServerJmx j = jmx;
        if (j != null) {
            j.close();
        }
        AdminServer a = admin;
        if (a != null) {
            a.close();
        }
        MetricsServer m = metricsServer;
        if (m != null) {
            m.close();
        }
        ticker.shutdownNow();
        listener.close();
        core.close();
        closeQuietly(storage);
    }

    /** Takes a snapshot now, on the core thread; for tests and operators. */
    public void snapshotNow() {
        core.runOnCore(Core::snapshotNow);
    }

    private static void closeQuietly(Storage storage) {
        try {
            storage.close();
        } catch (IOException e) {
            LOG.warn("releasing the data directory lock: {}", e.toString());
        }
    }
}
