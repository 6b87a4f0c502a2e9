package io.paddock.server.admin;

import io.paddock.server.config.ConfigException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The admin HTTP server's settings: Apache ZooKeeper's {@code admin.*} zoo.cfg keys, falling back to
 * its {@code zookeeper.admin.*} system properties, then to its defaults (enabled, 0.0.0.0:8080,
 * {@code /commands}, the snapshot and restore commands enabled, one snapshot per 5 minutes). Port 0 binds a
 * free port.
 *
 * @param enabled               whether to serve at all
 * @param address               the address to bind
 * @param port                  the port to bind, 0 for any free port
 * @param commandUrl            the path under which {@code /<command>} is served, e.g. {@code /commands}
 * @param snapshotEnabled       whether the {@code snapshot} command takes snapshots (else 503)
 * @param restoreEnabled        whether the {@code restore} command restores (else 503; {@code admin.restore.enabled})
 * @param rateLimiterIntervalMs the least time between two snapshots the command takes, 0 for no limit
 * @param idleTimeoutMs         a connection idle this long is closed ({@code admin.idleTimeout})
 * @param https                 whether and how the port speaks TLS ({@code admin.forceHttps}, {@code admin.portUnification})
 */
public record AdminConfig(boolean enabled, String address, int port, String commandUrl, boolean snapshotEnabled,
                          boolean restoreEnabled, long rateLimiterIntervalMs, long idleTimeoutMs, AdminHttps https) {

    /** Apache's default for {@code admin.rateLimiterIntervalInMS}: 5 minutes. */
    public static final long DEFAULT_RATE_LIMITER_INTERVAL_MS = 300_000;

    /** No admin server (servers started from properties rather than a file, such as tests). */
    public static final AdminConfig DISABLED = new AdminConfig(false, "0.0.0.0", 8080, "/commands");

    public AdminConfig {
        if (port < 0 || port > 65535) {
            throw new ConfigException("admin.serverPort must be between 0 and 65535, not " + port);
        }
        if (idleTimeoutMs < 1) {
            throw new ConfigException("admin.idleTimeout must be at least 1 (ms), not " + idleTimeoutMs);
        }
        if (rateLimiterIntervalMs < 0) {
            throw new ConfigException("admin.rateLimiterIntervalInMS must not be negative, not " + rateLimiterIntervalMs);
        }
        java.util.Objects.requireNonNull(https, "https");
        commandUrl = commandUrl.startsWith("/") ? commandUrl : "/" + commandUrl;
        // A trailing slash would make "/commands/" and "/commands" differ; Apache treats them alike.
        while (commandUrl.length() > 1 && commandUrl.endsWith("/")) {
            commandUrl = commandUrl.substring(0, commandUrl.length() - 1);
        }
    }

    /** The given server settings with the snapshot command's defaults, over plain HTTP. */
    public AdminConfig(boolean enabled, String address, int port, String commandUrl) {
        this(enabled, address, port, commandUrl, true, true, DEFAULT_RATE_LIMITER_INTERVAL_MS, HttpEndpoint.DEFAULT_IDLE_TIMEOUT_MS,
                AdminHttps.PLAIN);
    }

    /** Reads the admin keys from zoo.cfg-style properties (system properties and defaults fill gaps). */
    public static AdminConfig from(Properties props) {
        boolean enabled = Boolean.parseBoolean(value(props, "enableServer", "true"));
        String address = value(props, "serverAddress", "0.0.0.0");
        String portText = value(props, "serverPort", "8080");
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new ConfigException("admin.serverPort must be a number, not \"" + portText + "\"", e);
        }
        boolean snapshotEnabled = Boolean.parseBoolean(value(props, "snapshot.enabled", "true"));
        boolean restoreEnabled = Boolean.parseBoolean(value(props, "restore.enabled", "true"));
        long interval = number(props, "rateLimiterIntervalInMS", DEFAULT_RATE_LIMITER_INTERVAL_MS);
        long idle = number(props, "idleTimeout", HttpEndpoint.DEFAULT_IDLE_TIMEOUT_MS);
        // Only a server that serves reads the TLS keys: a disabled one needs no key store.
        AdminHttps https = enabled ? AdminHttps.read(key -> raw(props, key)) : AdminHttps.PLAIN;
        return new AdminConfig(enabled, address, port, value(props, "commandURL", "/commands"), snapshotEnabled,
                restoreEnabled,
                interval, idle, https);
    }

    private static long number(Properties props, String key, long fallback) {
        String text = value(props, key, Long.toString(fallback));
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException("admin." + key + " must be a number, not \"" + text + "\"", e);
        }
    }

    /** Re-reads a zoo.cfg file for its admin keys. */
    public static AdminConfig load(Path cfgFile) {
        return ConfigSource.parse(cfgFile, AdminConfig::from);
    }

    /**
     * The settings for a server configured from {@code source}: read from that file when it exists,
     * else {@link #DISABLED} (a configuration built in memory, where Apache's default port 8080 would
     * make concurrent servers collide).
     */
    public static AdminConfig forSource(String source) {
        return ConfigSource.parse(source, AdminConfig::from).orElse(DISABLED);
    }

    private static String value(Properties props, String key, String fallback) {
        String v = raw(props, "admin." + key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** A zoo.cfg key's value, else its {@code zookeeper.<key>} system property (Apache copies one into the other). */
    private static String raw(Properties props, String key) {
        String v = props.getProperty(key);
        return v == null ? System.getProperty("zookeeper." + key) : v;
    }
}
