package io.paddock.server.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.paddock.protocol.OpCode;
import io.paddock.server.Version;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Connection;
import io.paddock.server.core.Core;
import io.paddock.server.session.LocalSession;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.tree.Watcher;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The four-letter words, with Apache ZooKeeper's output formats (monitoring scripts and
 * exporters parse them). Each answer is computed on the core thread, so it sees a consistent
 * state, then written and the connection closed.
 */
final class FourLetterWords {
    /** Apache's default trace mask, reported by gtmk. */
    private static final long DEFAULT_TRACE_MASK = 306;

    private final ServerConfig config;
    private final ServerStats stats;
    private Core core;
    private volatile long traceMask = DEFAULT_TRACE_MASK;

    FourLetterWords(ServerConfig config, ServerStats stats) {
        this.config = config;
        this.stats = stats;
    }

    void bind(Core c) {
        this.core = c;
    }

    void answer(FourLetterWord w, Channel ch) {
        String word = w.word();
        stats.packetReceived();
        if (!config.fourLetterWordEnabled(word)) {
            write(ch, word + " is not executed because it is not in the whitelist.\n");
            return;
        }
        switch (word) {
            case "ruok" -> write(ch, "imok");
            // The same fact as the admin is_read_only: a server whose log failed refuses writes.
            case "isro" -> core.runOnCore(c -> write(ch, c.writesDisabled() ? "ro" : "rw"));
            case "gtmk" -> write(ch, Long.toString(traceMask));
            case "stmk" -> {
                traceMask = w.argument();
                write(ch, Long.toString(traceMask));
            }
            default -> {
                String asker = ch.remoteAddress() instanceof java.net.InetSocketAddress isa
                        ? "/" + isa.getAddress().getHostAddress() + ":" + isa.getPort() : String.valueOf(ch.remoteAddress());
                core.runOnCore(c -> write(ch, render(word, c, asker)));
            }
        }
    }

    private void write(Channel ch, String text) {
        stats.packetSent();
        ch.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Apache's answer from a server that is not synced to a leader. */
    static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests\n";

    private String render(String word, Core c, String asker) {
        if (!c.serving() && !word.equals("conf") && !word.equals("envi") && !word.equals("dirs")) {
            return NOT_SERVING;
        }
        return switch (word) {
            case "srvr" -> srvr(c, false, asker);
            case "stat" -> srvr(c, true, asker);
            case "conf" -> conf();
            case "cons" -> cons(c);
            case "crst" -> {
                for (Connection conn : c.connections()) {
                    ((ClientConnection) conn).connStats().reset();
                }
                yield "Connection stats reset.\n";
            }
            case "srst" -> {
                stats.reset();
                yield "Server stats reset.\n";
            }
            case "envi" -> envi();
            case "mntr" -> mntr(c);
            case "wchs" -> wchs(c);
            case "wchc" -> wchc(c);
            case "wchp" -> wchp(c);
            case "dump" -> dump(c);
            case "dirs" -> "datadir_size: " + MonitorFigures.dirSize(config.dataDir().resolve("version-2")) + "\nlogdir_size: "
                    + MonitorFigures.dirSize(config.dataLogDir().resolve("version-2")) + "\n";
            default -> "";
        };
    }

    /** Client connections plus the one asking, which Apache counts too. */
    private static int connectionCount(Core c) {
        return c.connections().size() + 1;
    }

    private String srvr(Core c, boolean withClients, String asker) {
        StringBuilder sb = new StringBuilder();
        sb.append("Zookeeper version: ").append(Version.fullLine()).append('\n');
        if (withClients) {
            sb.append("Clients:\n");
            for (Connection conn : c.connections()) {
                sb.append(' ').append(shortConnection((ClientConnection) conn)).append('\n');
            }
            sb.append(' ').append(asker).append("[0](queued=0,recved=1,sent=0)\n");
            sb.append('\n');
        }
        sb.append("Latency min/avg/max: ").append(stats.minLatencyMs()).append('/').append(stats.avgLatencyMs())
                .append('/').append(stats.maxLatencyMs()).append('\n');
        sb.append("Received: ").append(stats.packetsReceived()).append('\n');
        sb.append("Sent: ").append(stats.packetsSent()).append('\n');
        sb.append("Connections: ").append(connectionCount(c)).append('\n');
        sb.append("Outstanding: ").append(MonitorFigures.outstanding(c)).append('\n');
        sb.append("Zxid: 0x").append(Long.toHexString(c.stateMachine().lastZxid())).append('\n');
        sb.append("Mode: ").append(c.replication().mode()).append('\n');
        // Apache counts the root twice; scripts compare this figure, so Paddock does too.
        sb.append("Node count: ").append(c.stateMachine().tree().nodeCount() + 1).append('\n');
        io.paddock.server.replication.ReplicationStatus rs = c.replication();
        if (!rs.standalone() && rs.state() == io.paddock.server.zab.ServerState.LEADING) {
            int[] sizes = rs.proposalSizes();
            sb.append("Proposal sizes last/min/max: ").append(sizes[0]).append('/').append(sizes[1]).append('/')
                    .append(sizes[2]).append('\n');
        }
        return sb.toString();
    }

    private String shortConnection(ClientConnection conn) {
        ConnectionStats s = conn.connStats();
        return conn.remoteAddress() + "[1](queued=" + conn.outstandingRequests() + ",recved=" + s.received0()
                + ",sent=" + s.sent0() + ")";
    }

    private String cons(Core c) {
        StringBuilder sb = new StringBuilder();
        for (Connection conn : c.connections()) {
            ClientConnection cc = (ClientConnection) conn;
            ConnectionStats s = cc.connStats();
            sb.append(' ').append(cc.remoteAddress()).append("[1](queued=").append(cc.outstandingRequests())
                    .append(",recved=").append(s.received0()).append(",sent=").append(s.sent0());
            if (s.sessionId() != 0) {
                sb.append(",sid=0x").append(Long.toHexString(s.sessionId()))
                        .append(",lop=").append(s.lastOp() == -1000 ? "NA" : OpCode.shortName(s.lastOp()))
                        .append(",est=").append(s.createdMs())
                        .append(",to=").append(s.timeoutMs());
                if (s.lastCxid() >= 0) {
                    sb.append(",lcxid=0x").append(Long.toHexString(s.lastCxid()));
                }
                sb.append(",lzxid=0x").append(Long.toHexString(s.lastZxid()))
                        .append(",lresp=").append(s.lastResponseMs())
                        .append(",llat=").append(s.lastLatencyMs())
                        .append(",minlat=").append(s.minLatencyMs())
                        .append(",avglat=").append(s.avgLatencyMs())
                        .append(",maxlat=").append(s.maxLatencyMs());
            }
            sb.append(")\n");
        }
        sb.append('\n');
        return sb.toString();
    }

    private String conf() {
        StringBuilder sb = new StringBuilder();
        sb.append("clientPort=").append(config.clientPort()).append('\n');
        sb.append("secureClientPort=-1\n");
        Path snapDir = config.dataDir().resolve("version-2");
        Path logDir = config.dataLogDir().resolve("version-2");
        sb.append("dataDir=").append(snapDir).append('\n');
        sb.append("dataDirSize=").append(MonitorFigures.dirSize(snapDir)).append('\n');
        sb.append("dataLogDir=").append(logDir).append('\n');
        sb.append("dataLogSize=").append(MonitorFigures.dirSize(logDir)).append('\n');
        sb.append("tickTime=").append(config.tickTimeMs()).append('\n');
        sb.append("maxClientCnxns=").append(config.maxClientCnxns()).append('\n');
        sb.append("minSessionTimeout=").append(config.minSessionTimeoutMs()).append('\n');
        sb.append("maxSessionTimeout=").append(config.maxSessionTimeoutMs()).append('\n');
        sb.append("clientPortListenBacklog=-1\n");
        if (!config.ensemble()) {
            sb.append("serverId=0\n");
            return sb.toString();
        }
        // Apache's quorum fields, in its order; peerType 0 is a participant, 1 an observer.
        io.paddock.server.config.PeerSpec self = config.self();
        sb.append("serverId=").append(config.myId()).append('\n');
        sb.append("initLimit=").append(config.initLimit()).append('\n');
        sb.append("syncLimit=").append(config.syncLimit()).append('\n');
        sb.append("electionAlg=3\n");
        sb.append("electionPort=").append(self.electionPort()).append('\n');
        sb.append("quorumPort=").append(self.quorumPort()).append('\n');
        sb.append("peerType=").append(self.observer() ? 1 : 0).append('\n');
        sb.append("membership: \n");
        for (io.paddock.server.config.PeerSpec p : config.peers()) {
            sb.append("server.").append(p.id()).append('=').append(p.configValue()).append('\n');
        }
        sb.append("version=0\n");
        return sb.toString();
    }

    private String envi() {
        Runtime rt = Runtime.getRuntime();
        StringBuilder sb = new StringBuilder("Environment:\n");
        env(sb, "zookeeper.version", Version.fullLine());
        env(sb, "paddock.version", Version.paddock());
        String host;
        try {
            host = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            host = "<NA>";
        }
        env(sb, "host.name", host);
        for (String key : List.of("java.version", "java.vendor", "java.home", "java.class.path", "java.library.path",
                "java.io.tmpdir")) {
            env(sb, key, System.getProperty(key, "<NA>"));
        }
        env(sb, "java.compiler", System.getProperty("java.compiler", "<NA>"));
        for (String key : List.of("os.name", "os.arch", "os.version", "user.name", "user.home", "user.dir")) {
            env(sb, key, System.getProperty(key, "<NA>"));
        }
        env(sb, "os.memory.free", rt.freeMemory() / (1024 * 1024) + "MB");
        env(sb, "os.memory.max", rt.maxMemory() / (1024 * 1024) + "MB");
        env(sb, "os.memory.total", rt.totalMemory() / (1024 * 1024) + "MB");
        return sb.toString();
    }

    private static void env(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }

    private String mntr(Core c) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : MonitorFigures.of(c, stats, connectionCount(c)).entrySet()) {
            sb.append("zk_").append(e.getKey()).append('\t').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    private static String wchs(Core c) {
        Map<Watcher, Set<String>> byConn = c.stateMachine().watches().dataWatchesByConnection();
        Map<String, Set<Watcher>> byPath = c.stateMachine().watches().dataWatchesByPath();
        int total = 0;
        for (Set<String> paths : byConn.values()) {
            total += paths.size();
        }
        return byConn.size() + " connections watching " + byPath.size() + " paths\nTotal watches:" + total + "\n";
    }

    private static String wchc(Core c) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Watcher, Set<String>> e : c.stateMachine().watches().dataWatchesByConnection().entrySet()) {
            sb.append("0x").append(Long.toHexString(e.getKey().sessionId())).append('\n');
            for (String path : e.getValue()) {
                sb.append('\t').append(path).append('\n');
            }
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String wchp(Core c) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Set<Watcher>> e : c.stateMachine().watches().dataWatchesByPath().entrySet()) {
            sb.append(e.getKey()).append('\n');
            for (Watcher w : e.getValue()) {
                sb.append("\t0x").append(Long.toHexString(w.sessionId())).append('\n');
            }
        }
        sb.append('\n');
        return sb.toString();
    }

    private String dump(Core c) {
        StringBuilder sb = new StringBuilder("SessionTracker dump:\n");
        long tick = config.tickTimeMs();
        TreeMap<Long, List<LocalSession>> buckets = new TreeMap<>();
        long nowMono = System.nanoTime() / 1_000_000;
        long nowWall = System.currentTimeMillis();
        for (LocalSession s : c.sessions().all()) {
            long expiresWall = nowWall + (s.lastTouchMs() + s.timeoutMs() - nowMono);
            long bucket = (expiresWall / tick + 1) * tick;
            buckets.computeIfAbsent(bucket, k -> new ArrayList<>()).add(s);
        }
        sb.append("Session Sets (").append(buckets.size()).append(")/(").append(c.sessions().all().size()).append("):\n");
        SimpleDateFormat fmt = new SimpleDateFormat("EEE MMM dd HH:mm:ss zzz yyyy", java.util.Locale.ENGLISH);
        for (Map.Entry<Long, List<LocalSession>> e : buckets.entrySet()) {
            sb.append(e.getValue().size()).append(" expire at ").append(fmt.format(new Date(e.getKey()))).append(":\n");
            for (LocalSession s : e.getValue()) {
                sb.append("\t0x").append(Long.toHexString(s.id())).append('\n');
            }
        }
        Map<Long, ? extends Set<String>> eph = c.stateMachine().tree().ephemeralsBySession();
        sb.append("ephemeral nodes dump:\n");
        sb.append("Sessions with Ephemerals (").append(eph.size()).append("):\n");
        for (Map.Entry<Long, ? extends Set<String>> e : eph.entrySet()) {
            sb.append("0x").append(Long.toHexString(e.getKey())).append(":\n");
            for (String path : e.getValue()) {
                sb.append('\t').append(path).append('\n');
            }
        }
        sb.append("Connections dump:\n");
        List<ClientConnection> withSession = new ArrayList<>();
        for (Connection conn : c.connections()) {
            if (conn.sessionId() != 0) {
                withSession.add((ClientConnection) conn);
            }
        }
        sb.append("Connections Sets (").append(withSession.isEmpty() ? 0 : 1).append(")/(").append(withSession.size())
                .append("):\n");
        if (!withSession.isEmpty()) {
            sb.append(withSession.size()).append(" expire at ").append(fmt.format(new Date(nowWall + tick))).append(":\n");
            for (ClientConnection conn : withSession) {
                sb.append("\tip: ").append(conn.remoteAddress()).append(" sessionId: 0x")
                        .append(Long.toHexString(conn.sessionId())).append('\n');
            }
        }
        return sb.toString();
    }
}
