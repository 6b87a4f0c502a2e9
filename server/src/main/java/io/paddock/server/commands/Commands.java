package io.paddock.server.commands;

import static io.paddock.server.commands.Commands.When.ALWAYS;
import static io.paddock.server.commands.Commands.When.SERVING;

import io.paddock.protocol.OpCode;
import io.paddock.server.Version;
import io.paddock.server.config.DynamicConfig;
import io.paddock.server.config.PeerSpec;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Connection;
import io.paddock.server.core.ConnectionFigures;
import io.paddock.server.core.Core;
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
 * Apache ZooKeeper's operator commands, one table for both ways in: each command computes its
 * facts once, on the core thread (one consistent state), as a map with Apache's admin JSON field
 * names; the admin server writes that map as JSON ({@link #json}), and the command's four-letter
 * word writes the same facts in Apache's text for that word ({@link #text}, {@link TextForms}).
 */
public final class Commands {
    /** Apache's error for a command that needs a serving server. */
    public static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

    /** What a command reads; used on the core thread only. */
    public record Context(Core core, ServerConfig config, ServerStats stats) {
    }

    /** When one way in answers: Apache refuses some commands while the server does not serve clients. */
    public enum When {
        /** Only while the server serves clients; otherwise Apache's {@link Commands#NOT_SERVING}. */
        SERVING,
        ALWAYS
    }

    /**
     * One command.
     *
     * @param names the primary name first, then its aliases (the admin server's names)
     * @param admin when the admin server answers it
     * @param facts computes its fields
     * @param word  its four-letter word, or null when it has none
     */
    public record Command(List<String> names, When admin, Function<Context, Map<String, Object>> facts, Word word) {
        String primary() {
            return names.get(0);
        }
    }

    /**
     * A command's four-letter word.
     *
     * @param name the word
     * @param when when it answers; Apache's words and admin commands differ here (conf, dirs,
     *             isro and ruok answer a server that does not serve; mntr does not)
     * @param form its text
     */
    public record Word(String name, When when, TextForm form) {
    }

    private static final List<Command> ALL = List.of(
            new Command(List.of("connection_stat_reset", "crst"), SERVING, Commands::crst,
                    new Word("crst", SERVING, (f, c, asker) -> "Connection stats reset.\n")),
            new Command(List.of("configuration", "conf", "config"), SERVING, Commands::conf,
                    new Word("conf", ALWAYS, TextForms::conf)),
            new Command(List.of("connections", "cons"), SERVING, Commands::cons,
                    new Word("cons", SERVING, TextForms::cons)),
            new Command(List.of("dirs"), SERVING, Commands::dirs, new Word("dirs", ALWAYS, TextForms::dirs)),
            new Command(List.of("dump"), SERVING, Commands::dump, new Word("dump", SERVING, TextForms::dump)),
            new Command(List.of("environment", "env", "envi"), ALWAYS, c -> environment(),
                    new Word("envi", ALWAYS, TextForms::envi)),
            new Command(List.of("initial_configuration", "icfg"), SERVING, Commands::icfg, null),
            new Command(List.of("is_read_only", "isro"), SERVING, c -> fields("read_only", readOnly(c.core())),
                    new Word("isro", ALWAYS, (f, c, asker) -> !answering(c.core()) ? "null"
                            : (Boolean) f.get("read_only") ? "ro" : "rw")),
            new Command(List.of("last_snapshot", "lsnp"), SERVING, Commands::lastSnapshot, null),
            new Command(List.of("leader", "lead"), SERVING, Commands::leader, null),
            new Command(List.of("monitor", "mntr"), ALWAYS, c -> MonitorFigures.of(c.core(), c.stats()),
                    new Word("mntr", SERVING, TextForms::mntr)),
            new Command(List.of("ruok"), SERVING, c -> new LinkedHashMap<>(),
                    new Word("ruok", ALWAYS, new TextForm.Fixed("imok"))),
            new Command(List.of("server_stats", "srvr"), SERVING, c -> serverStats(c, false),
                    new Word("srvr", SERVING, TextForms::serverStats)),
            new Command(List.of("stat_reset", "srst"), SERVING, Commands::srst,
                    new Word("srst", SERVING, (f, c, asker) -> "Server stats reset.\n")),
            new Command(List.of("stats", "stat"), SERVING, c -> serverStats(c, true),
                    new Word("stat", SERVING, TextForms::serverStats)),
            new Command(List.of("system_properties", "sysp"), ALWAYS, c -> systemProperties(), null),
            new Command(List.of("voting_view"), SERVING, Commands::votingView, null),
            new Command(List.of("watches", "wchc"), SERVING, Commands::watches,
                    new Word("wchc", SERVING, TextForms::wchc)),
            new Command(List.of("watches_by_path", "wchp"), SERVING, Commands::watchesByPath,
                    new Word("wchp", SERVING, TextForms::wchp)),
            new Command(List.of("watch_summary", "wchs"), SERVING, Commands::watchSummary,
                    new Word("wchs", SERVING, TextForms::wchs)),
            new Command(List.of("zabstate"), ALWAYS, Commands::zabState, null));

    private static final Map<String, Command> BY_NAME = new TreeMap<>();
    private static final Map<String, Command> BY_WORD = new TreeMap<>();

    static {
        for (Command c : ALL) {
            for (String n : c.names()) {
                BY_NAME.put(n, c);
            }
            if (c.word() != null) {
                BY_WORD.put(c.word().name(), c);
            }
        }
    }

    private Commands() {
    }

    /** Every command's primary name, sorted. */
    public static Set<String> primaryNames() {
        Set<String> names = new TreeSet<>();
        for (Command c : ALL) {
            names.add(c.primary());
        }
        return names;
    }

    /** The command with this name or alias, or null. */
    public static Command find(String name) {
        return BY_NAME.get(name);
    }

    /** The command with this four-letter word, or null. */
    public static Command byWord(String word) {
        return BY_WORD.get(word);
    }

    /**
     * Runs a command on the core thread and returns Apache's admin response map: the command's fields,
     * then {@code command} and {@code error} (null, or why it did not run). As Apache, a command that
     * ran names itself by its primary name; one refused for want of a serving server echoes the name
     * asked for.
     */
    public static Map<String, Object> json(Command command, String askedAs, Context ctx) {
        Map<String, Object> out;
        if (command.admin() == SERVING && !answering(ctx.core())) {
            out = new LinkedHashMap<>();
            out.put("command", askedAs);
            out.put("error", NOT_SERVING);
            return out;
        }
        out = command.facts().apply(ctx);
        Object own = out.remove("error");
        out.put("command", command.primary());
        out.put("error", own == null ? null : own.toString());
        return out;
    }

    /** Apache's admin answer to a name no command has. */
    public static Map<String, Object> unknown(String askedAs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", askedAs);
        out.put("error", "Unknown command: " + askedAs);
        return out;
    }

    /**
     * Runs a command with a four-letter word on the core thread and returns its text.
     *
     * @param asker the asking connection's address, e.g. "/127.0.0.1:53412"
     */
    public static String text(Command command, Context ctx, String asker) {
        Word word = command.word();
        if (word.when() == SERVING && !answering(ctx.core())) {
            return NOT_SERVING + "\n";
        }
        return word.form().render(command.facts().apply(ctx), ctx, asker);
    }

    /** Whether the server answers clients at all: serving, or serving read-only without a quorum (as Apache's). */
    static boolean answering(Core core) {
        return core.serving() || core.readOnly();
    }

    /** Whether writes are refused: read-only mode without a quorum, or a log that failed. */
    static boolean readOnly(Core core) {
        return core.readOnly() || core.writesDisabled();
    }

    /** The mode operators see: Apache's "read-only" while serving read-only, else the replication role. */
    static String mode(Core core, ReplicationStatus rs) {
        return core.readOnly() ? "read-only" : rs.mode();
    }

    // ------------------------------------------------------------------ the commands

    private static Map<String, Object> crst(Context c) {
        for (Connection conn : c.core().connections()) {
            conn.resetFigures();
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
        m.put("secure_client_port", config.clientTls().secureClientPort());
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
        return new DynamicConfig(config.peers(), 0).text();
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
            ConnectionFigures f = conn.figures();
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
        s.put("server_state", mode(core, rs));
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
        // The same fact as is_read_only and isro.
        m.put("read_only", readOnly(core));
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
