package io.paddock.server.admin;

import io.paddock.protocol.OpCode;
import io.paddock.server.Version;
import io.paddock.server.config.PeerSpec;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Connection;
import io.paddock.server.core.Core;
import io.paddock.server.net.ConnectionFigures;
import io.paddock.server.net.MonitorFigures;
import io.paddock.server.session.LocalSession;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.storage.SnapshotFormat;
import io.paddock.server.tree.Watcher;
import io.paddock.server.replication.ReplicationStatus;
import io.paddock.server.zab.ServerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Apache ZooKeeper's admin commands with its names, aliases and JSON field names. Each command
 * computes a map on the core thread (so it sees one consistent state); the admin server adds
 * {@code command} and {@code error} and writes it as JSON.
 */
final class Commands {
    /** Apache's error for a command that needs a serving server. */
    static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

    /** What a command reads; used on the core thread only. */
    record Context(Core core, ServerConfig config, ServerStats stats) {
    }

    /**
     * One command.
     *
     * @param names          the primary name first, then its aliases
     * @param serverRequired whether it answers only while the server serves clients (else Apache's error)
     * @param body           computes the command's fields
     */
    record Command(List<String> names, boolean serverRequired, Function<Context, Map<String, Object>> body) {
        String primary() {
            return names.get(0);
        }
    }

    private static final List<Command> ALL = List.of(
            new Command(List.of("connection_stat_reset", "crst"), true, Commands::crst),
            new Command(List.of("configuration", "conf", "config"), true, Commands::conf),
            new Command(List.of("connections", "cons"), true, Commands::cons),
            new Command(List.of("dirs"), true, Commands::dirs),
            new Command(List.of("dump"), true, Commands::dump),
            new Command(List.of("environment", "env", "envi"), false, c -> environment()),
            new Command(List.of("initial_configuration", "icfg"), true, Commands::icfg),
            new Command(List.of("is_read_only", "isro"), true, c -> fields("read_only", c.core().writesDisabled())),
            new Command(List.of("last_snapshot", "lsnp"), true, Commands::lastSnapshot),
            new Command(List.of("leader", "lead"), true, Commands::leader),
            new Command(List.of("monitor", "mntr"), false, Commands::monitor),
            new Command(List.of("ruok"), true, c -> new LinkedHashMap<>()),
            new Command(List.of("server_stats", "srvr"), true, c -> serverStats(c, false)),
            new Command(List.of("stat_reset", "srst"), true, Commands::srst),
            new Command(List.of("stats", "stat"), true, c -> serverStats(c, true)),
            new Command(List.of("system_properties", "sysp"), false, c -> systemProperties()),
            new Command(List.of("voting_view"), true, Commands::votingView),
            new Command(List.of("watches", "wchc"), true, Commands::watches),
            new Command(List.of("watches_by_path", "wchp"), true, Commands::watchesByPath),
            new Command(List.of("watch_summary", "wchs"), true, Commands::watchSummary),
            new Command(List.of("zabstate"), false, Commands::zabState));

    private static final Map<String, Command> BY_NAME = new TreeMap<>();

    static {
        for (Command c : ALL) {
            for (String n : c.names()) {
                BY_NAME.put(n, c);
            }
        }
    }

    private Commands() {
    }

    /** Every command's primary name, sorted, the snapshot command (which answers a file) included. */
    static Set<String> primaryNames() {
        Set<String> names = new TreeSet<>();
        names.add(SnapshotCommand.NAMES.get(0));
        for (Command c : ALL) {
            names.add(c.primary());
        }
        return names;
    }

    /** The command with this name or alias, or null. */
    static Command find(String name) {
        return BY_NAME.get(name);
    }

    /**
     * Runs a command on the core thread and returns Apache's response map: the command's fields, then
     * {@code command} and {@code error} (null, or why it did not run). As Apache, a command that ran
     * names itself by its primary name; one refused for want of a serving server echoes the name
     * asked for.
     */
    static Map<String, Object> run(Command command, String askedAs, Context ctx) {
        Map<String, Object> out;
        if (command.serverRequired() && !ctx.core().serving()) {
            out = new LinkedHashMap<>();
            out.put("command", askedAs);
            out.put("error", NOT_SERVING);
            return out;
        }
        out = command.body().apply(ctx);
        Object own = out.remove("error");
        out.put("command", command.primary());
        out.put("error", own == null ? null : own.toString());
        return out;
    }

    /** Apache's answer to a name no command has. */
    static Map<String, Object> unknown(String askedAs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", askedAs);
        out.put("error", "Unknown command: " + askedAs);
        return out;
    }

    // ------------------------------------------------------------------ the commands

    private static Map<String, Object> crst(Context c) {
        for (Connection conn : c.core().connections()) {
            ConnectionFigures.reset(conn);
        }
        return new LinkedHashMap<>();
    }

    private static Map<String, Object> srst(Context c) {
        c.stats().reset();
        return new LinkedHashMap<>();
    }

    private static Map<String, Object> conf(Context c) {
        ServerConfig config = c.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_port", config.clientPort());
        m.put("secure_client_port", -1);
        Path snapDir = snapDir(config);
        Path logDir = logDir(config);
        m.put("data_dir", snapDir.toString());
        m.put("data_dir_size", MonitorFigures.dirSize(snapDir));
        m.put("data_log_dir", logDir.toString());
        m.put("data_log_size", MonitorFigures.dirSize(logDir));
        m.put("tick_time", config.tickTimeMs());
        m.put("max_client_cnxns", config.maxClientCnxns());
        m.put("min_session_timeout", config.minSessionTimeoutMs());
        m.put("max_session_timeout", config.maxSessionTimeoutMs());
        m.put("client_port_listen_backlog", -1);
        m.put("server_id", config.ensemble() ? config.myId() : 0);
        if (config.ensemble()) {
            PeerSpec self = config.self();
            m.put("init_limit", config.initLimit());
            m.put("sync_limit", config.syncLimit());
            m.put("election_alg", 3);
            m.put("election_port", self.electionPort());
            m.put("quorum_port", self.quorumPort());
            m.put("peer_type", self.observer() ? 1 : 0);
            m.put("membership", membership(config));
        }
        return m;
    }

    private static String membership(ServerConfig config) {
        StringBuilder sb = new StringBuilder();
        for (PeerSpec p : config.peers()) {
            sb.append("server.").append(p.id()).append('=').append(p.configValue()).append('\n');
        }
        return sb.append("version=0").toString();
    }

    private static Map<String, Object> cons(Context c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connectionInfo(c.core(), false));
        m.put("secure_connections", List.of());
        return m;
    }

    /** Apache's per-connection map; {@code brief} keeps the first five fields (as stat does). */
    private static List<Map<String, Object>> connectionInfo(Core core, boolean brief) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Connection conn : core.connections()) {
            ConnectionFigures f = ConnectionFigures.of(conn);
            if (f == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            String remote = f.remoteAddress();
            m.put("remote_socket_address", remote.startsWith("/") ? remote.substring(1) : remote);
            m.put("interest_ops", 1);
            m.put("outstanding_requests", f.outstanding());
            m.put("packets_received", f.received());
            m.put("packets_sent", f.sent());
            if (!brief) {
                m.put("session_id", f.sessionId());
                m.put("last_operation", f.lastOp() == -1000 ? "NA" : OpCode.shortName(f.lastOp()));
                m.put("established", f.establishedMs());
                m.put("session_timeout", f.timeoutMs());
                m.put("last_cxid", f.lastCxid());
                m.put("last_zxid", f.lastZxid());
                m.put("last_response_time", f.lastResponseMs());
                m.put("last_latency", f.lastLatencyMs());
                m.put("min_latency", f.minLatencyMs());
                m.put("avg_latency", f.avgLatencyMs());
                m.put("max_latency", f.maxLatencyMs());
            }
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> dirs(Context c) {
        return fields("datadir_size", MonitorFigures.dirSize(snapDir(c.config())),
                "logdir_size", MonitorFigures.dirSize(logDir(c.config())));
    }

    private static Map<String, Object> dump(Context c) {
        long tick = c.config().tickTimeMs();
        long nowMono = System.nanoTime() / 1_000_000;
        long nowWall = System.currentTimeMillis();
        // Sessions grouped by the tick at which they expire, in wall-clock ms, as Apache's session buckets.
        Map<Long, Set<Long>> expiry = new TreeMap<>();
        for (LocalSession s : c.core().sessions().all()) {
            long expiresWall = nowWall + (s.lastTouchMs() + s.timeoutMs() - nowMono);
            long bucket = (expiresWall / tick + 1) * tick;
            expiry.computeIfAbsent(bucket, k -> new TreeSet<>()).add(s.id());
        }
        Map<Long, Set<String>> ephemerals = new TreeMap<>();
        for (Map.Entry<Long, ? extends Set<String>> e : c.core().stateMachine().tree().ephemeralsBySession()
                .entrySet()) {
            ephemerals.put(e.getKey(), new TreeSet<>(e.getValue()));
        }
        return fields("expiry_time_to_session_ids", expiry, "session_id_to_ephemeral_paths", ephemerals);
    }

    private static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zookeeper.version", Version.fullLine());
        m.put("paddock.version", Version.paddock());
        String host;
        try {
            host = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            host = "<NA>";
        }
        m.put("host.name", host);
        for (String key : List.of("java.version", "java.vendor", "java.home", "java.class.path", "java.library.path",
                "java.io.tmpdir", "java.compiler", "os.name", "os.arch", "os.version", "user.name", "user.home",
                "user.dir")) {
            m.put(key, System.getProperty(key, "<NA>"));
        }
        Runtime rt = Runtime.getRuntime();
        m.put("os.memory.free", rt.freeMemory() / (1024 * 1024) + "MB");
        m.put("os.memory.max", rt.maxMemory() / (1024 * 1024) + "MB");
        m.put("os.memory.total", rt.totalMemory() / (1024 * 1024) + "MB");
        return m;
    }

    private static Map<String, Object> icfg(Context c) {
        String text = null;
        try {
            Path file = Path.of(c.config().source());
            if (Files.isRegularFile(file)) {
                text = Files.readString(file, StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            text = null;
        }
        return fields("initial_configuration", text);
    }

    private static Map<String, Object> lastSnapshot(Context c) {
        long zxid = -1;
        long timestamp = -1;
        Path dir = snapDir(c.config());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    long z = SnapshotFormat.zxidOf(p);
                    if (z != -1 && (zxid == -1 || Long.compareUnsigned(z, zxid) > 0)) {
                        zxid = z;
                        // Apache reports the snapshot file's modification time in seconds.
                        timestamp = Files.getLastModifiedTime(p).toMillis() / 1000;
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                return fields("zxid", Long.toHexString(-1L), "timestamp", -1L, "error", e.toString());
            }
        }
        return fields("zxid", Long.toHexString(zxid), "timestamp", timestamp);
    }

    private static Map<String, Object> leader(Context c) {
        ReplicationStatus rs = c.core().replication();
        if (rs.standalone()) {
            // Apache's answer from a server that is not a quorum member.
            return fields("error", "server is not initialized");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("is_leader", rs.state() == ServerState.LEADING);
        m.put("leader_id", rs.leader());
        String ip = "";
        for (PeerSpec p : c.config().peers()) {
            if (p.id() == rs.leader()) {
                ip = p.host();
            }
        }
        m.put("leader_ip", ip);
        return m;
    }

    private static Map<String, Object> monitor(Context c) {
        // The admin server's own connection is not a client connection: unlike mntr, not counted.
        return MonitorFigures.of(c.core(), c.stats(), c.core().connections().size());
    }

    private static Map<String, Object> serverStats(Context c, boolean withConnections) {
        Core core = c.core();
        ServerStats stats = c.stats();
        ReplicationStatus rs = core.replication();
        Map<String, Object> clientResponse = fields("last_buffer_size", -1, "min_buffer_size", -1,
                "max_buffer_size", -1);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("packets_sent", stats.packetsSent());
        s.put("packets_received", stats.packetsReceived());
        s.put("fsync_threshold_exceed_count", c.stats().metrics().slowFsyncs.get());
        s.put("client_response_stats", clientResponse);
        s.put("data_dir_size", MonitorFigures.dirSize(snapDir(c.config())));
        s.put("log_dir_size", MonitorFigures.dirSize(logDir(c.config())));
        s.put("last_processed_zxid", core.stateMachine().lastZxid());
        s.put("outstanding_requests", MonitorFigures.outstanding(core));
        s.put("server_state", rs.mode());
        s.put("avg_latency", stats.avgLatencyMs());
        s.put("max_latency", stats.maxLatencyMs());
        s.put("min_latency", stats.minLatencyMs());
        s.put("num_alive_client_connections", core.connections().size());
        s.put("provider_null", false);
        s.put("uptime", stats.uptimeMs());
        s.put("auth_failed_count", 0);
        s.put("non_mtlsremote_conn_count", 0);
        s.put("non_mtlslocal_conn_count", 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Version.fullLine());
        m.put("read_only", false);
        m.put("server_stats", s);
        m.put("client_response", clientResponse);
        if (!rs.standalone() && rs.state() == ServerState.LEADING) {
            int[] sizes = rs.proposalSizes();
            m.put("proposal_stats", fields("last_buffer_size", sizes[0], "min_buffer_size", sizes[1],
                    "max_buffer_size", sizes[2]));
        }
        m.put("node_count", core.stateMachine().tree().nodeCount() + 1);
        if (withConnections) {
            m.put("connections", connectionInfo(core, true));
            m.put("secure_connections", List.of());
        }
        return m;
    }

    private static Map<String, Object> systemProperties() {
        Map<String, Object> sorted = new TreeMap<>();
        System.getProperties().forEach((k, v) -> sorted.put(k.toString(), v.toString()));
        return new LinkedHashMap<>(sorted);
    }

    private static Map<String, Object> votingView(Context c) {
        Map<Long, String> view = new TreeMap<>();
        if (c.config().ensemble()) {
            for (PeerSpec p : c.config().peers()) {
                view.put(p.id(), p.host() + ":" + p.quorumPort() + ":" + p.electionPort() + ":"
                        + (p.observer() ? "observer" : "participant"));
            }
        }
        return fields("current_config", view);
    }

    private static Map<String, Object> watches(Context c) {
        Map<Long, Set<String>> bySession = new TreeMap<>();
        for (Map.Entry<Watcher, Set<String>> e : c.core().stateMachine().watches().dataWatchesByConnection()
                .entrySet()) {
            bySession.computeIfAbsent(e.getKey().sessionId(), k -> new TreeSet<>()).addAll(e.getValue());
        }
        return fields("session_id_to_watched_paths", bySession);
    }

    private static Map<String, Object> watchesByPath(Context c) {
        Map<String, Set<Long>> byPath = new TreeMap<>();
        for (Map.Entry<String, Set<Watcher>> e : c.core().stateMachine().watches().dataWatchesByPath().entrySet()) {
            Set<Long> ids = byPath.computeIfAbsent(e.getKey(), k -> new TreeSet<>());
            for (Watcher w : e.getValue()) {
                ids.add(w.sessionId());
            }
        }
        return fields("path_to_session_ids", byPath);
    }

    private static Map<String, Object> watchSummary(Context c) {
        Map<Watcher, Set<String>> byConn = c.core().stateMachine().watches().dataWatchesByConnection();
        int total = 0;
        for (Set<String> paths : byConn.values()) {
            total += paths.size();
        }
        return fields("num_connections", byConn.size(), "num_paths",
                c.core().stateMachine().watches().dataWatchesByPath().size(), "num_total_watches", total);
    }

    private static Map<String, Object> zabState(Context c) {
        ReplicationStatus rs = c.core().replication();
        if (rs.standalone() || rs.state() == ServerState.LOOKING) {
            // Apache answers this while it has no quorum server: standalone, or electing a leader.
            return fields("voting", false, "zabstate", "");
        }
        ServerConfig config = c.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("myid", config.myId());
        m.put("is_leader", rs.state() == ServerState.LEADING);
        for (PeerSpec p : config.peers()) {
            if (p.id() == config.myId()) {
                m.put("quorum_address", p.host() + ":" + p.quorumPort());
                m.put("election_address", p.host() + ":" + p.electionPort());
            }
        }
        String clientHost = config.clientPortAddress() == null ? "0.0.0.0" : config.clientPortAddress();
        m.put("client_address", clientHost + ":" + config.clientPort());
        m.put("voting", !config.observer());
        long zxid = c.core().stateMachine().lastZxid();
        m.put("last_zxid", "0x" + Long.toHexString(zxid));
        m.put("zab_epoch", zxid >>> 32);
        m.put("zab_counter", zxid & 0xffffffffL);
        // Zab's phases as Apache names them: after the election, synchronization, then broadcast.
        m.put("zabstate", c.core().serving() ? "broadcast" : "synchronization");
        return m;
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Path snapDir(ServerConfig config) {
        return config.dataDir().resolve("version-2");
    }

    private static Path logDir(ServerConfig config) {
        return config.dataLogDir().resolve("version-2");
    }

}
