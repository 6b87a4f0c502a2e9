package io.paddock.server.config;

import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Apache ZooKeeper's local sessions, from zoo.cfg: with {@code localSessionsEnabled}, a member of
 * an ensemble makes a new session known to itself only (no txn, so a reconnect storm costs the
 * ensemble nothing); with {@code localSessionsUpgradingEnabled}, such a session becomes the
 * ensemble's when it first creates an ephemeral node, which otherwise fails
 * (EphemeralOnLocalSession). A standalone server has no use for them and ignores both.
 *
 * @param enabled   localSessionsEnabled
 * @param upgrading localSessionsUpgradingEnabled
 */
public record LocalSessionConfig(boolean enabled, boolean upgrading) {
    public static final String ENABLED = "localSessionsEnabled";
    public static final String UPGRADING = "localSessionsUpgradingEnabled";
    public static final LocalSessionConfig OFF = new LocalSessionConfig(false, false);

    /** Whether {@code key} is read here. */
    public static boolean reads(String key) {
        return Set.of(ENABLED, UPGRADING).contains(key);
    }

    /** Reads both keys; a value other than true/false is a ConfigException naming the key and the file. */
    public static LocalSessionConfig from(Properties props, String source) {
        return new LocalSessionConfig(flag(props, ENABLED, source), flag(props, UPGRADING, source));
    }

    private static boolean flag(Properties props, String key, String source) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("invalid value '" + v.trim() + "' for " + key + " in " + source
                    + ": expected true or false");
        };
    }
}
