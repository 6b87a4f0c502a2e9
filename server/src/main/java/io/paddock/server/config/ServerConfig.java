package io.paddock.server.config;

import io.paddock.server.tls.TlsSettings;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import io.paddock.server.sasl.ClientAuthConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's configuration: Apache ZooKeeper's zoo.cfg keys with their meanings and defaults,
 * plus the {@code zookeeper.*} / {@code jute.*} system properties Apache reads. Immutable once
 * parsed. A bad value stops start-up with a message naming key, value and file; a key Paddock
 * does not implement is logged as a warning.
 */
public record ServerConfig(
        String source,
        int tickTimeMs,
        Path dataDir,
        Path dataLogDir,
        int clientPort,
        String clientPortAddress,
        int maxClientCnxns,
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        Set<String> fourLetterWords,
        boolean extendedTypesEnabled,
        int juteMaxBuffer,
        String superDigest,
        boolean skipAcl,
        long containerCheckIntervalMs,
        int containerMaxPerMinute,
        long containerMaxNeverUsedIntervalMs,
        int globalOutstandingLimit,
        int maxOutstandingPerConnection,
        boolean digestAuthEnabled,
        boolean readOnlyModeEnabled,
        boolean reconfigEnabled,
        int snapCount,
        long preAllocBytes,
        boolean forceSync,
        int snapRetainCount,
        int purgeIntervalHours,
        boolean snapshotCompression,
        List<String> warnings,
        long myId,
        List<PeerSpec> peers,
        int initLimit,
        int syncLimit,
        boolean standaloneEnabled,
        boolean quorumListenOnAllIPs,
        int cnxTimeoutMs,
        int commitLogCount,
        long fsyncWarningThresholdMs,
        long slowRequestWarningMs,
        int snapTreePercent,
        int handshakeTimeoutMs,
        int maxWatchesPerSession,
        int maxCnxns,
        long maxQueuedBytesPerConnection,
        ClientTlsConfig clientTls,
        ClientAuthConfig clientAuth,
        QuorumAuth quorumAuth,
        QuotaAuditConfig quotaAudit,
        ThrottleConfig throttle,
        LocalSessionConfig localSessions) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);

    /** Default of {@code paddock.maxWatchesPerSession}. */
    public static final int DEFAULT_MAX_WATCHES = 100_000;

    /** Default of {@code paddock.maxQueuedBytesPerConnection}: 32 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 32L << 20;

    /** Every four-letter word Paddock answers. */
    public static final Set<String> ALL_FOUR_LETTER_WORDS = Set.of(
            "ruok", "srvr", "stat", "conf", "cons", "crst", "srst", "envi", "mntr",
            "wchs", "wchc", "wchp", "dump", "dirs", "isro", "gtmk", "stmk");

    /** Keys Paddock reads from zoo.cfg. */
    private static final Set<String> KNOWN_KEYS = Set.of(
            "tickTime", "dataDir", "dataLogDir", "clientPort", "clientPortAddress", "maxClientCnxns",
            "minSessionTimeout", "maxSessionTimeout", "4lw.commands.whitelist", "extendedTypesEnabled",
            "globalOutstandingLimit", "readonlymode.enabled", "reconfigEnabled", "skipACL",
            "znode.container.checkIntervalMs", "znode.container.maxPerMinute",
            "znode.container.maxNeverUsedIntervalMs", "jute.maxbuffer", "paddock.maxOutstandingPerConnection",
            "snapCount", "preAllocSize", "forceSync", "autopurge.snapRetainCount", "autopurge.purgeInterval",
            "snapshot.compression.method", "initLimit", "syncLimit", "standaloneEnabled", "peerType",
            "quorumListenOnAllIPs", "electionAlg", "cnxTimeout", "commitLogCount", "fsync.warningthresholdms",
            "paddock.slowRequestWarningMs", "paddock.snapTreePercent", "nio.sessionlessCnxnTimeout",
            "paddock.maxWatchesPerSession", "maxCnxns", "paddock.maxQueuedBytesPerConnection",
            "quorum.auth.enableSasl", "quorum.auth.learnerRequireSasl", "quorum.auth.serverRequireSasl",
            "quorum.auth.learner.saslLoginContext", "quorum.auth.server.saslLoginContext",
            "quorum.auth.kerberos.servicePrincipal",
            // Apache's thread pool for quorum authentication; Paddock authenticates on its event loops.
            "quorum.cnxn.threads.size",
            // Read by the admin server (io.paddock.server.admin.AdminConfig).
            "admin.enableServer", "admin.serverAddress", "admin.serverPort", "admin.commandURL",
            "admin.snapshot.enabled", "admin.rateLimiterIntervalInMS", "admin.idleTimeout",
            "admin.forceHttps", "admin.portUnification", "admin.needClientAuth",
            // Read by the metrics endpoint (io.paddock.server.admin.MetricsConfig).
            "metricsProvider.className", "metricsProvider.httpHost", "metricsProvider.httpPort",
            "metricsProvider.exportJvmInfo", "metricsProvider.prometheusMetricsSummaryRotateIntervalSeconds",
            // Read by QuotaAuditConfig.
            QuotaAuditConfig.ENFORCE_QUOTA, QuotaAuditConfig.AUDIT_ENABLE);

    /** Apache keys accepted for compatibility whose features later issues add; a warning, not a failure. */
    private static final Set<String> LATER_KEYS = Set.of(
            "clientPortListenBacklog",
            "dynamicConfigFile",
            "serverCnxnFactory", "syncEnabled",
            "connectToLearnerMasterLimit", "leaderServes");

    /** Reads and parses a zoo.cfg file. */
    public static ServerConfig load(Path file) {
        Properties props = new ConfigFileProperties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return parse(props, file.toAbsolutePath().toString());
    }

    /** Parses zoo.cfg-style properties; {@code source} names the file in error messages. */
    public static ServerConfig parse(Properties props, String source) {
        return new Parser(props, source).parse();
    }

    /** Whether a four-letter word is allowed by {@code 4lw.commands.whitelist}. */
    public boolean fourLetterWordEnabled(String word) {
        return fourLetterWords.contains(word);
    }

    /**
     * Whether this server runs as a member of an ensemble: true when there are {@code server.N}
     * lines, except a single voting server with {@code standaloneEnabled=true}, which runs
     * standalone as Apache ZooKeeper does.
     */
    public boolean ensemble() {
        return runsAsEnsemble(peers, standaloneEnabled);
    }

    /** This server's own {@code server.N} line ({@code N} = {@link #myId()}), or null when standalone. */
    public PeerSpec self() {
        if (!ensemble()) {
            return null;
        }
        for (PeerSpec p : peers) {
            if (p.id() == myId) {
                return p;
            }
        }
        return null;
    }

    /** Whether this server is an ensemble's observer (it does not vote). */
    public boolean observer() {
        PeerSpec self = self();
        return self != null && self.observer();
    }

    /** {@code initLimit} in milliseconds: how long a follower may take to connect to and sync with a leader. */
    public long initLimitMs() {
        return (long) initLimit * tickTimeMs;
    }

    /** {@code syncLimit} in milliseconds: how long a follower may stay silent or behind before it is dropped. */
    public long syncLimitMs() {
        return (long) syncLimit * tickTimeMs;
    }

    private static boolean runsAsEnsemble(List<PeerSpec> peers, boolean standaloneEnabled) {
        if (peers.isEmpty()) {
            return false;
        }
        long voters = peers.stream().filter(PeerSpec::voter).count();
        return !(voters == 1 && standaloneEnabled);
    }

    /**
     * Properties that notice a {@code server.N} key given twice in the file, which plain
     * Properties would silently collapse to the last one.
     */
    private static final class ConfigFileProperties extends Properties {
        private static final long serialVersionUID = 1L;
        private final transient List<String> repeated = new ArrayList<>();

        @Override
        public synchronized Object put(Object key, Object value) {
            Object old = super.put(key, value);
            if (old != null && key instanceof String k && k.startsWith("server.")) {
                repeated.add(k + " is given twice ('" + String.valueOf(old).trim() + "' and '"
                        + String.valueOf(value).trim() + "')");
            }
            return old;
        }
    }

    private static final class Parser {
        private final Properties props;
        private final String source;
        private final List<String> warnings = new ArrayList<>();
        /** The key each server id was given under (normally server.N), for messages. */
        private final Map<Long, String> lineKeys = new TreeMap<>();

        Parser(Properties props, String source) {
            this.props = props;
            this.source = source;
        }

        private String raw(String key) {
            String v = props.getProperty(key);
            return v == null ? null : v.trim();
        }

        private ConfigException bad(String key, String value, String why) {
            return new ConfigException("invalid value '" + value + "' for " + key + " in " + source + ": " + why);
        }

        private int intValue(String key, int def, int min, int max) {
            String v = raw(key);
            if (v == null || v.isEmpty()) {
                return def;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw bad(key, v, "must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw bad(key, v, "not an integer");
            }
        }

        private long longValue(String key, String text, long def, long min) {
            if (text == null || text.isBlank()) {
                return def;
            }
            try {
                long n = Long.parseLong(text.trim());
                if (n < min) {
                    throw bad(key, text, "must be at least " + min);
                }
                return n;
            } catch (NumberFormatException e) {
                throw bad(key, text, "not an integer");
            }
        }

        private boolean boolValue(String key, String text, boolean def) {
            if (text == null || text.isBlank()) {
                return def;
            }
            String t = text.trim().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw bad(key, text, "expected true or false");
            };
        }

        /** A zoo.cfg key, falling back to the {@code zookeeper.<key>} system property as Apache does. */
        private String keyOrProperty(String key, String property) {
            String v = raw(key);
            return v != null ? v : System.getProperty(property);
        }

        ServerConfig parse() {
            if (props instanceof ConfigFileProperties file && !file.repeated.isEmpty()) {
                throw new ConfigException(file.repeated.get(0) + " in " + source + "; each server id must appear once");
            }
            judgeSecuritySettings();
            for (String key : props.stringPropertyNames()) {
                if (KNOWN_KEYS.contains(key) || key.startsWith("server.")) {
                    continue;
                }
                if (SecurityKeys.covers(key)) {
                    continue; // judged above
                }
                if (ClientAuthConfig.reads(key) || ThrottleConfig.reads(key) || LocalSessionConfig.reads(key)) {
                    continue;
                }
                if (key.startsWith("group.") || key.startsWith("weight.")) {
                    warnings.add("hierarchical quorum key " + key + " in " + source
                            + " is not supported and is ignored; majority quorums are used");
                } else if (LATER_KEYS.contains(key)) {
                    warnings.add("key " + key + " in " + source + " is not implemented yet; ignored");
                } else {
                    warnings.add("unknown key " + key + " in " + source + "; ignored");
                }
            }

            int tickTime = intValue("tickTime", 3000, 1, Integer.MAX_VALUE);
            String dataDirText = raw("dataDir");
            if (dataDirText == null || dataDirText.isEmpty()) {
                throw new ConfigException("dataDir is not set in " + source);
            }
            Path dataDir = Path.of(dataDirText).toAbsolutePath();
            String dataLogText = raw("dataLogDir");
            Path dataLogDir = dataLogText == null || dataLogText.isEmpty() ? dataDir : Path.of(dataLogText).toAbsolutePath();

            List<PeerSpec> peers = peers();
            boolean standaloneEnabled = boolValue("standaloneEnabled", raw("standaloneEnabled"), true);
            boolean ensemble = checkQuorumShape(peers, standaloneEnabled);
            int initLimit = intValue("initLimit", 0, 1, Integer.MAX_VALUE);
            int syncLimit = intValue("syncLimit", 0, 1, Integer.MAX_VALUE);
            if (ensemble && initLimit == 0) {
                throw new ConfigException("initLimit is not set in " + source);
            }
            if (ensemble && syncLimit == 0) {
                throw new ConfigException("syncLimit is not set in " + source);
            }
            int electionAlg = intValue("electionAlg", 3, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (electionAlg != 3) {
                throw bad("electionAlg", raw("electionAlg"), "only 3 (fast leader election) is supported");
            }
            boolean listenOnAllIps = boolValue("quorumListenOnAllIPs", raw("quorumListenOnAllIPs"), false);
            int cnxTimeout = intFrom("cnxTimeout", "zookeeper.cnxTimeout", 5000);
            int commitLogCount = intFrom("commitLogCount", "zookeeper.commitLogCount", 500);
            if (commitLogCount < 500) {
                warnings.add("commitLogCount " + commitLogCount + " in " + source + " is below Apache ZooKeeper's minimum"
                        + " of 500, which Apache would use instead; fewer txns are kept to sync followers by DIFF");
            }

            long fsyncWarning = longValue("fsync.warningthresholdms",
                    keyOrProperty("fsync.warningthresholdms", "zookeeper.fsync.warningthresholdms"), 1000, 0);
            long slowRequest = longValue("paddock.slowRequestWarningMs",
                    keyOrProperty("paddock.slowRequestWarningMs", "paddock.slowRequestWarningMs"), 1000, 0);
            // A snapshot rewrites the whole tree; taken every snapCount txns of a growing tree (a
            // bulk load), the bytes written grow with the square of its size. Waiting until the
            // txns since the last snapshot are this share of the nodes it held bounds both the
            // write amplification and the replay at start (0: Apache's count alone).
            int snapTreePercent = intValue("paddock.snapTreePercent", 50, 0, 1_000_000);
            // A connection must finish its handshake this soon, or it is closed: one that never does
            // holds a descriptor for nothing. Apache's NIO server calls this the sessionless
            // connection timeout, 10 s by default; a real client sends its handshake at once.
            int handshakeTimeout = intFrom("nio.sessionlessCnxnTimeout", "zookeeper.nio.sessionlessCnxnTimeout", 10_000);
            // Watches one connection may hold. Each costs the heap a few hundred bytes and Apache
            // sets no bound, so one client could fill the heap with them (docs/configuration.md).
            int maxWatches = intFrom("paddock.maxWatchesPerSession", "paddock.maxWatchesPerSession", DEFAULT_MAX_WATCHES);

            long myId = 0;
            PeerSpec self = null;
            if (ensemble) {
                myId = readMyId(dataDir.resolve("myid"), peers);
                for (PeerSpec p : peers) {
                    if (p.id() == myId) {
                        self = p;
                    }
                }
            }
            checkPeerType(self, ensemble);

            // Standalone with a single server line: that line is unambiguously this server's.
            PeerSpec ownLine = ensemble ? self : peers.isEmpty() ? null : peers.get(0);
            ClientTlsConfig clientTls = ClientTlsConfig.read(key -> keyOrProperty(key, "zookeeper." + key), source);
            int clientPort = clientPort(ownLine, clientTls.secureClientPort() >= 0);
            String address = clientPortAddress(ownLine);

            int maxClientCnxns = intValue("maxClientCnxns", 60, 0, Integer.MAX_VALUE);
            // Client connections in all, as Apache's maxCnxns: 0 (its default) sets no bound.
            int maxCnxns = (int) Math.min(Integer.MAX_VALUE,
                    longValue("maxCnxns", keyOrProperty("maxCnxns", "zookeeper.maxCnxns"), 0, 0));
            int minSession = intValue("minSessionTimeout", -1, -1, Integer.MAX_VALUE);
            int maxSession = intValue("maxSessionTimeout", -1, -1, Integer.MAX_VALUE);
            if (minSession == -1) {
                minSession = 2 * tickTime;
            }
            if (maxSession == -1) {
                maxSession = 20 * tickTime;
            }
            if (minSession > maxSession) {
                throw new ConfigException("minSessionTimeout " + minSession + " must not be larger than maxSessionTimeout "
                        + maxSession + " in " + source);
            }

            boolean readOnly = boolValue("readonlymode.enabled",
                    keyOrProperty("readonlymode.enabled", "readonlymode.enabled"), false);
            Set<String> words = fourLetterWords(readOnly);

            boolean extended = boolValue("extendedTypesEnabled",
                    keyOrProperty("extendedTypesEnabled", "zookeeper.extendedTypesEnabled"), false);
            if (extended && myId > 254) {
                // A TTL node's ephemeralOwner is 0xFF in its top byte, where a session id holds the server id.
                throw new ConfigException("server id " + myId + " (from " + dataDir.resolve("myid") + ") cannot be used with"
                        + " extendedTypesEnabled=true in " + source + ": the id must be 254 or less");
            }

            String juteText = raw("jute.maxbuffer") != null ? raw("jute.maxbuffer") : System.getProperty("jute.maxbuffer");
            int juteMaxBuffer = (int) longValue("jute.maxbuffer", juteText, 0xFFFFF, 1);

            // Reply bytes one connection may leave unread before it is closed: a client that pipelines
            // requests and never reads would otherwise hold up to maxOutstandingPerConnection replies
            // of up to jute.maxbuffer each in the heap. At least one largest reply.
            long maxQueued = Math.max(juteMaxBuffer + 1028L, longValue("paddock.maxQueuedBytesPerConnection",
                    keyOrProperty("paddock.maxQueuedBytesPerConnection", "paddock.maxQueuedBytesPerConnection"),
                    DEFAULT_MAX_QUEUED_BYTES, 1));

            String superDigest = System.getProperty("zookeeper.DigestAuthenticationProvider.superDigest");
            boolean skipAcl = boolValue("skipACL", keyOrProperty("skipACL", "zookeeper.skipACL"), false);
            long checkInterval = longValue("znode.container.checkIntervalMs",
                    keyOrProperty("znode.container.checkIntervalMs", "znode.container.checkIntervalMs"), 60_000, 1);
            long maxPerMinute = longValue("znode.container.maxPerMinute",
                    keyOrProperty("znode.container.maxPerMinute", "znode.container.maxPerMinute"), 10_000, 1);
            long neverUsed = longValue("znode.container.maxNeverUsedIntervalMs",
                    keyOrProperty("znode.container.maxNeverUsedIntervalMs", "znode.container.maxNeverUsedIntervalMs"), 0, 0);
            int globalOutstanding = (int) longValue("globalOutstandingLimit",
                    keyOrProperty("globalOutstandingLimit", "zookeeper.globalOutstandingLimit"), 1000, 1);
            int perConnection = intValue("paddock.maxOutstandingPerConnection", 1000, 1, 1_000_000);
            boolean digestEnabled = boolValue("zookeeper.DigestAuthenticationProvider.enabled",
                    System.getProperty("zookeeper.DigestAuthenticationProvider.enabled"), true);
            boolean reconfig = boolValue("reconfigEnabled", raw("reconfigEnabled"), false);

            int snapCount = (int) longValue("snapCount", keyOrProperty("snapCount", "zookeeper.snapCount"), 100_000, 2);
            long preAllocKb = longValue("preAllocSize", keyOrProperty("preAllocSize", "zookeeper.preAllocSize"), 65_536, 4);
            boolean forceSync = boolValue("forceSync", keyOrProperty("forceSync", "zookeeper.forceSync"), true);
            int retain = intValue("autopurge.snapRetainCount", 3, 0, Integer.MAX_VALUE);
            if (retain < 3) {
                warnings.add("autopurge.snapRetainCount " + retain + " in " + source + " is below the minimum; using 3");
                retain = 3;
            }
            int purgeHours = intValue("autopurge.purgeInterval", 0, 0, Integer.MAX_VALUE);
            String compression = keyOrProperty("snapshot.compression.method", "zookeeper.snapshot.compression.method");
            boolean compress;
            if (compression == null || compression.isBlank()) {
                compress = false;
            } else {
                compress = switch (compression.trim().toLowerCase(Locale.ROOT)) {
                    case "gz", "gzip" -> true;
                    case "none", "" -> false;
                    default -> throw bad("snapshot.compression.method", compression, "expected gz or none");
                };
            }
            if (!forceSync) {
                warnings.add("forceSync=no in " + source + ": acknowledged writes can be lost in a power failure;"
                        + " for tests and benchmarks only");
            }

            for (String w : warnings) {
                LOG.warn(w);
            }
            if (ensemble) {
                long voters = peers.stream().filter(PeerSpec::voter).count();
                LOG.info("{}: server.{} ({}) of an ensemble of {} voting server(s) and {} observer(s)", source, myId,
                        self.observer() ? "observer" : "participant", voters, peers.size() - voters);
            }
            return new ServerConfig(source, tickTime, dataDir, dataLogDir, clientPort, address, maxClientCnxns,
                    minSession, maxSession, words, extended, juteMaxBuffer, superDigest, skipAcl, checkInterval,
                    (int) Math.min(Integer.MAX_VALUE, maxPerMinute), neverUsed, globalOutstanding, perConnection,
                    digestEnabled, readOnly, reconfig, snapCount, preAllocKb * 1024, forceSync, retain, purgeHours,
                    compress, Collections.unmodifiableList(warnings), myId, peers, initLimit, syncLimit,
                    standaloneEnabled, listenOnAllIps, cnxTimeout, commitLogCount, fsyncWarning,
                    slowRequest, snapTreePercent, handshakeTimeout, maxWatches, maxCnxns, maxQueued, clientTls,
                    ClientAuthConfig.read(props, source, digestEnabled), quorumAuth(), QuotaAuditConfig.from(props, source),
                    ThrottleConfig.from(props, source), LocalSessionConfig.from(props, source));
        }

        /**
         * Refuses to start on a zoo.cfg key or {@code zookeeper.*} system property that asks for
         * security Paddock does not provide (see {@link SecurityKeys}); warns about one that only
         * offers it.
         */
        /** The quorum.auth.* keys; zoo.cfg only, as in Apache. */
        private QuorumAuth quorumAuth() {
            TlsSettings tls = QuorumAuth.readTls(boolValue("sslQuorum", keyOrProperty("sslQuorum", "zookeeper.sslQuorum"),
                    false), key -> keyOrProperty(key, "zookeeper." + key), source);
            boolean reload = boolValue("sslQuorumReloadCertFiles", keyOrProperty("sslQuorumReloadCertFiles",
                    "zookeeper.sslQuorumReloadCertFiles"), false);
            try {
                return new QuorumAuth(boolValue("quorum.auth.enableSasl", raw("quorum.auth.enableSasl"), false),
                        boolValue("quorum.auth.learnerRequireSasl", raw("quorum.auth.learnerRequireSasl"), false),
                        boolValue("quorum.auth.serverRequireSasl", raw("quorum.auth.serverRequireSasl"), false),
                        nonEmpty("quorum.auth.learner.saslLoginContext", QuorumAuth.DEFAULT_LEARNER_CONTEXT),
                        nonEmpty("quorum.auth.server.saslLoginContext", QuorumAuth.DEFAULT_SERVER_CONTEXT),
                        nonEmpty("quorum.auth.kerberos.servicePrincipal", QuorumAuth.DEFAULT_SERVICE_PRINCIPAL), tls, reload);
            } catch (ConfigException e) {
                // The record's own checks do not know the file.
                throw new ConfigException(e.getMessage() + " (in " + source + ")");
            }
        }

        private String nonEmpty(String key, String def) {
            String v = raw(key);
            return v == null || v.isEmpty() ? def : v;
        }

        private void judgeSecuritySettings() {
            for (String key : new TreeSet<>(props.stringPropertyNames())) {
                judge(key, raw(key), key + "=" + raw(key) + " in " + source);
            }
            Properties system = System.getProperties();
            for (String name : new TreeSet<>(system.stringPropertyNames())) {
                if (name.startsWith("zookeeper.")) {
                    String value = system.getProperty(name).trim();
                    judge(name.substring("zookeeper.".length()), value, "system property " + name + "=" + value);
                }
            }
        }

        /** {@code where} names the setting in the message: the key, its value and the file or property. */
        private void judge(String key, String value, String where) {
            SecurityKeys.Verdict v = SecurityKeys.judge(key, value);
            switch (v.action()) {
                case REFUSE -> throw new ConfigException(where + " asks for " + v.asks()
                        + ", which Paddock does not provide yet; remove it (or set it to false) to run without it");
                case WARN -> warnings.add(where + ": " + v.asks() + "; accepted, as it promises clients nothing");
                case ACCEPT -> { }
            }
        }

        /** An int from a zoo.cfg key or its {@code zookeeper.*} system property; at least 1. */
        private int intFrom(String key, String property, int def) {
            String name = raw(key) != null ? key : property;
            return (int) Math.min(Integer.MAX_VALUE, longValue(name, keyOrProperty(key, property), def, 1));
        }

        /** The {@code server.N} lines, sorted by id. */
        private List<PeerSpec> peers() {
            Map<Long, String> keyById = new TreeMap<>();
            List<PeerSpec> peers = new ArrayList<>();
            for (String key : new TreeSet<>(props.stringPropertyNames())) {
                if (!key.startsWith("server.")) {
                    continue;
                }
                String value = raw(key);
                long id;
                try {
                    id = Long.parseLong(key.substring("server.".length()));
                } catch (NumberFormatException e) {
                    throw new ConfigException("invalid key " + key + " in " + source
                            + ": expected server.N with N the server id (1-255)");
                }
                if (id < PeerSpec.MIN_ID || id > PeerSpec.MAX_ID) {
                    throw bad(key, value, "the server id " + id + " is outside 1..255");
                }
                String other = keyById.putIfAbsent(id, key);
                if (other != null) {
                    throw new ConfigException("server id " + id + " is given twice in " + source + ": " + other + "="
                            + raw(other) + " and " + key + "=" + value);
                }
                try {
                    peers.add(PeerSpec.parse(id, value));
                } catch (IllegalArgumentException e) {
                    throw bad(key, value, e.getMessage());
                }
            }
            peers.sort(Comparator.comparingLong(PeerSpec::id));
            lineKeys.putAll(keyById);
            checkDistinctAddresses(peers);
            return List.copyOf(peers);
        }

        /** Two servers listening on the same host and port is a copy-paste slip that would fail much later. */
        private void checkDistinctAddresses(List<PeerSpec> peers) {
            Map<String, Long> owner = new HashMap<>();
            for (PeerSpec p : peers) {
                for (int port : new int[] {p.quorumPort(), p.electionPort()}) {
                    String where = p.host().toLowerCase(Locale.ROOT) + ":" + port;
                    Long before = owner.putIfAbsent(where, p.id());
                    if (before != null) {
                        throw new ConfigException(lineKeys.get(before) + " and " + lineKeys.get(p.id()) + " in " + source
                                + " both use " + where + "; every server needs its own quorum and election ports");
                    }
                }
            }
        }

        /** Checks the mix of voters and observers; returns whether this server runs as an ensemble member. */
        private boolean checkQuorumShape(List<PeerSpec> peers, boolean standaloneEnabled) {
            long voters = peers.stream().filter(PeerSpec::voter).count();
            long observers = peers.size() - voters;
            if (peers.isEmpty()) {
                if (!standaloneEnabled) {
                    throw new ConfigException("standaloneEnabled=false in " + source
                            + " but there are no server.N lines; an ensemble needs at least one voting server");
                }
                return false;
            }
            if (voters == 0) {
                throw new ConfigException("the server.N lines in " + source
                        + " name only observers; an ensemble needs voting servers");
            }
            if (voters == 1 && standaloneEnabled) {
                if (observers > 0) {
                    throw new ConfigException(source + " has one voting server and " + observers + " observer(s):"
                            + " observers need an ensemble; add voting servers, or set standaloneEnabled=false");
                }
                warnings.add("only one server (" + lineKeys.get(peers.get(0).id()) + ") in " + source
                        + " and standaloneEnabled is true: running standalone, as Apache ZooKeeper does");
                return false;
            }
            if (voters <= 2) {
                warnings.add(source + " has " + voters + " voting server(s): the ensemble tolerates no failure;"
                        + " 3 are needed to survive one");
            } else if (voters % 2 == 0) {
                warnings.add(source + " has " + voters + " voting servers: they survive no more failures than "
                        + (voters - 1) + "; an odd number is better");
            }
            return true;
        }

        /** This server's id from {@code <dataDir>/myid}; it must name one of the server lines. */
        private long readMyId(Path file, List<PeerSpec> peers) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ConfigException("myid file " + file + " is missing: each server of the ensemble in " + source
                        + " needs one in its dataDir, holding its server id (the N of its server.N line)");
            } catch (IOException e) {
                throw new ConfigException("cannot read myid file " + file + ": " + e, e);
            }
            String first = text.lines().findFirst().orElse("").trim();
            if (first.isEmpty()) {
                throw new ConfigException("myid file " + file + " is empty; it must hold this server's id (1-255)");
            }
            long id;
            try {
                id = Long.parseLong(first);
            } catch (NumberFormatException e) {
                throw new ConfigException("myid file " + file + " holds '" + first
                        + "', which is not a number; it must hold this server's id (1-255)");
            }
            if (id < PeerSpec.MIN_ID || id > PeerSpec.MAX_ID) {
                throw new ConfigException("myid file " + file + " holds " + id + "; a server id must be between 1 and 255");
            }
            if (!lineKeys.containsKey(id)) {
                throw new ConfigException("myid file " + file + " holds " + id + ", but " + source + " has no server." + id
                        + " line (it lists servers " + lineKeys.keySet().stream().map(String::valueOf)
                                .collect(Collectors.joining(", ")) + ")");
            }
            return id;
        }

        /** {@code peerType}, if given, must agree with this server's own line. */
        private void checkPeerType(PeerSpec self, boolean ensemble) {
            String text = raw("peerType");
            if (text == null || text.isEmpty()) {
                return;
            }
            boolean observer = switch (text.toLowerCase(Locale.ROOT)) {
                case "observer" -> true;
                case "participant" -> false;
                default -> throw bad("peerType", text, "expected observer or participant");
            };
            if (ensemble && observer != self.observer()) {
                String key = lineKeys.get(self.id());
                throw new ConfigException("peerType=" + text + " in " + source + " disagrees with this server's line "
                        + key + "=" + raw(key) + ", which makes it " + (self.observer() ? "an observer" : "a participant"));
            }
            if (!ensemble && observer) {
                warnings.add("peerType=observer in " + source + " is ignored: this server runs standalone");
            }
        }

        /**
         * {@code clientPort}, or the port after {@code ;} in this server's own line; given twice, they must agree.
         * -1 (no plaintext port) when neither is given but a {@code secureClientPort} is.
         */
        private int clientPort(PeerSpec ownLine, boolean securePort) {
            String text = raw("clientPort");
            boolean inKey = text != null && !text.isEmpty();
            boolean inLine = ownLine != null && ownLine.clientPort() >= 0;
            if (!inKey && !inLine && securePort) {
                return -1;
            }
            if (!inKey && !inLine) {
                throw new ConfigException("clientPort is not set in " + source);
            }
            if (!inKey) {
                return ownLine.clientPort();
            }
            int port = intValue("clientPort", 2181, 0, 65535);
            if (inLine && port != ownLine.clientPort()) {
                String key = lineKeys.get(ownLine.id());
                throw new ConfigException("clientPort=" + port + " in " + source + " disagrees with " + key + "="
                        + raw(key) + ", whose client port is " + ownLine.clientPort()
                        + "; give the port in one place, or the same in both");
            }
            return port;
        }

        /** {@code clientPortAddress}, or the address in this server's own line; null for all addresses. */
        private String clientPortAddress(PeerSpec ownLine) {
            String address = raw("clientPortAddress");
            String key = "clientPortAddress";
            if (address != null && address.isEmpty()) {
                address = null;
            }
            String fromLine = ownLine == null ? null : ownLine.clientAddress();
            if (fromLine != null) {
                String lineKey = lineKeys.get(ownLine.id());
                if (address != null && !address.equalsIgnoreCase(fromLine)) {
                    throw new ConfigException("clientPortAddress=" + address + " in " + source + " disagrees with "
                            + lineKey + "=" + raw(lineKey) + ", whose client address is " + fromLine);
                }
                address = fromLine;
                key = lineKey;
            }
            if (address != null) {
                try {
                    InetAddress.getByName(address);
                } catch (UnknownHostException e) {
                    throw bad(key, address, "unknown host");
                }
            }
            return address;
        }

        private Set<String> fourLetterWords(boolean readOnly) {
            String list = keyOrProperty("4lw.commands.whitelist", "zookeeper.4lw.commands.whitelist");
            Set<String> words = new LinkedHashSet<>();
            if (list == null || list.isBlank()) {
                words.add("srvr");
                if (readOnly) {
                    words.add("isro");
                }
                return Collections.unmodifiableSet(words);
            }
            for (String part : list.split(",")) {
                String w = part.trim();
                if (w.isEmpty()) {
                    continue;
                }
                if (w.equals("*")) {
                    return ALL_FOUR_LETTER_WORDS;
                }
                if (!ALL_FOUR_LETTER_WORDS.contains(w)) {
                    warnings.add("4lw.commands.whitelist in " + source + " names unknown command '" + w + "'; ignored");
                    continue;
                }
                words.add(w);
            }
            return Collections.unmodifiableSet(words);
        }
    }
}
