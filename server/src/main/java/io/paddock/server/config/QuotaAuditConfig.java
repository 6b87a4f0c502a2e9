package io.paddock.server.config;

import java.util.Locale;
import java.util.Properties;

/**
 * Quota enforcement and the audit log: Apache's {@code enforceQuota} and {@code audit.enable},
 * each a zoo.cfg key or its {@code zookeeper.<key>} system property (the zoo.cfg key wins).
 *
 * @param enforceQuota whether a write past a hard quota is refused (QuotaExceeded)
 * @param auditEnabled whether audit lines go to the {@code org.apache.zookeeper.audit.Slf4jAuditLogger} logger
 */
public record QuotaAuditConfig(boolean enforceQuota, boolean auditEnabled) {
    public static final String ENFORCE_QUOTA = "enforceQuota";
    public static final String AUDIT_ENABLE = "audit.enable";

    /** Both off, Apache's defaults. */
    public static final QuotaAuditConfig OFF = new QuotaAuditConfig(false, false);

    /** Reads both settings; a value other than true/false/yes/no is a ConfigException naming key and source. */
    public static QuotaAuditConfig from(Properties props, String source) {
        return new QuotaAuditConfig(flag(props, ENFORCE_QUOTA, source), flag(props, AUDIT_ENABLE, source));
    }

    private static boolean flag(Properties props, String key, String source) {
        String v = props.getProperty(key);
        String where = key + " in " + source;
        if (v == null) {
            v = System.getProperty("zookeeper." + key);
            where = "system property zookeeper." + key;
        }
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new ConfigException("invalid value '" + v.trim() + "' for " + where + ": expected true or false");
        };
    }
}
