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

    /** Apache's system property naming the audit logger class, and the one class Paddock provides. */
    public static final String AUDIT_IMPL_PROPERTY = "zookeeper.audit.impl.class";
    public static final String SLF4J_AUDIT_LOGGER = "org.apache.zookeeper.audit.Slf4jAuditLogger";

    /**
     * Reads both settings; a value other than true/false/yes/no is a ConfigException naming key
     * and source. With the audit log on, a {@code zookeeper.audit.impl.class} other than Apache's
     * default is one too: an audit trail must not silently go elsewhere than asked.
     */
    public static QuotaAuditConfig from(Properties props, String source) {
        boolean audit = flag(props, AUDIT_ENABLE, source);
        String impl = System.getProperty(AUDIT_IMPL_PROPERTY);
        if (audit && impl != null && !impl.isBlank() && !impl.trim().equals(SLF4J_AUDIT_LOGGER)) {
            throw new ConfigException("system property " + AUDIT_IMPL_PROPERTY + "=" + impl.trim() + " names an audit"
                    + " logger Paddock cannot load; Paddock writes audit lines to the SLF4J logger " + SLF4J_AUDIT_LOGGER
                    + " (Apache's default): remove the property, or set it to that class");
        }
        return new QuotaAuditConfig(flag(props, ENFORCE_QUOTA, source), audit);
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
