package io.paddock.server.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
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
        List<String> warnings) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);

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
            "snapshot.compression.method");

    /** Apache keys accepted for compatibility whose features later issues add; a warning, not a failure. */
    private static final Set<String> LATER_KEYS = Set.of(
            "initLimit", "syncLimit", "standaloneEnabled", "admin.enableServer", "admin.serverAddress",
            "admin.serverPort", "admin.commandURL", "metricsProvider.className", "metricsProvider.httpHost",
            "metricsProvider.httpPort", "metricsProvider.exportJvmInfo", "secureClientPort",
            "secureClientPortAddress", "clientPortListenBacklog", "electionAlg", "quorumListenOnAllIPs",
            "localSessionsEnabled", "localSessionsUpgradingEnabled", "dynamicConfigFile",
            "serverCnxnFactory", "audit.enable", "syncEnabled",
            "connectToLearnerMasterLimit", "maxCnxns", "peerType", "leaderServes", "cnxTimeout");

    public static ServerConfig load(Path file) {
        Properties props = new Properties();
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

    private static final class Parser {
        private final Properties props;
        private final String source;
        private final List<String> warnings = new ArrayList<>();

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
            for (String key : props.stringPropertyNames()) {
                if (KNOWN_KEYS.contains(key)) {
                    continue;
                }
                if (key.startsWith("server.") || key.startsWith("group.") || key.startsWith("weight.")) {
                    warnings.add("ensemble key " + key + " in " + source
                            + " is not supported yet; running standalone");
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

            String portText = raw("clientPort");
            if (portText == null || portText.isEmpty()) {
                throw new ConfigException("clientPort is not set in " + source);
            }
            int clientPort = intValue("clientPort", 2181, 0, 65535);
            String address = raw("clientPortAddress");
            if (address != null && !address.isEmpty()) {
                try {
                    InetAddress.getByName(address);
                } catch (UnknownHostException e) {
                    throw bad("clientPortAddress", address, "unknown host");
                }
            } else {
                address = null;
            }

            int maxClientCnxns = intValue("maxClientCnxns", 60, 0, Integer.MAX_VALUE);
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

            String juteText = raw("jute.maxbuffer") != null ? raw("jute.maxbuffer") : System.getProperty("jute.maxbuffer");
            int juteMaxBuffer = (int) longValue("jute.maxbuffer", juteText, 0xFFFFF, 1);

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
            return new ServerConfig(source, tickTime, dataDir, dataLogDir, clientPort, address, maxClientCnxns,
                    minSession, maxSession, words, extended, juteMaxBuffer, superDigest, skipAcl, checkInterval,
                    (int) Math.min(Integer.MAX_VALUE, maxPerMinute), neverUsed, globalOutstanding, perConnection,
                    digestEnabled, readOnly, reconfig, snapCount, preAllocKb * 1024, forceSync, retain, purgeHours,
                    compress, Collections.unmodifiableList(warnings));
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
