package io.paddock.server.config;

import java.util.Locale;
import java.util.Set;

/**
 * Judges Apache ZooKeeper's security settings Paddock does not provide yet. A setting that asks
 * for one of them must stop start-up: a config written to be secure would otherwise run open,
 * with only a warning in a log nobody reads. A setting that asks for nothing is accepted:
 * {@code false} (or an empty value) of any of them, and an authentication provider merely
 * offered to clients. What is implemented is read elsewhere and accepted here: TLS for clients
 * ({@link ClientTlsConfig}), SASL and enforced authentication for clients
 * ({@link io.paddock.server.sasl.ClientAuthConfig}), SASL and TLS between servers ({@link QuorumAuth}),
 * quota enforcement and the audit log ({@link QuotaAuditConfig}), HTTPS on the admin server
 * ({@code admin.forceHttps}, {@code admin.portUnification}: io.paddock.server.admin.AdminHttps).
 *
 * <p>Keys are given as zoo.cfg names; Apache also reads each as the system property
 * {@code zookeeper.<key>} (it copies unknown zoo.cfg keys into such properties), so the caller
 * strips that prefix and asks the same question.
 */
final class SecurityKeys {
    /**
     * Providers Paddock implements: digest, ip, sasl (identities from the SASL exchange) and x509
     * (identities from TLS client certificates). Any other class is refused: it may be a
     * gatekeeper (Apache's EnsembleAuthenticationProvider closes connections) whose check would
     * silently vanish.
     */
    private static final Set<String> IMPLEMENTED_PROVIDERS = Set.of(
            "org.apache.zookeeper.server.auth.DigestAuthenticationProvider",
            "org.apache.zookeeper.server.auth.IPAuthenticationProvider",
            "org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
            "org.apache.zookeeper.server.auth.X509AuthenticationProvider");

    /** What a verdict does: nothing, a logged warning, or a refusal to start. */
    enum Action { ACCEPT, WARN, REFUSE }

    /** The verdict on one setting; {@code asks} says what it asks for, for the message. */
    record Verdict(Action action, String asks) {
        static final Verdict ACCEPTED = new Verdict(Action.ACCEPT, null);
    }

    private SecurityKeys() {
    }

    /** The verdict on {@code key=value} (zoo.cfg spelling); ACCEPTED for keys that are not about security. */
    static Verdict judge(String key, String value) {
        String v = value == null ? "" : value.trim();
        if (key.startsWith("authProvider.")) {
            if (IMPLEMENTED_PROVIDERS.contains(v)) {
                return Verdict.ACCEPTED;
            }
            return v.isEmpty()
                    ? new Verdict(Action.WARN, "an authentication provider without a class")
                    : new Verdict(Action.REFUSE, "the authentication provider " + v);
        }
        String asks = asks(key);
        if (asks == null || v.isEmpty() || isFalse(v) || ClientTlsConfig.KEYS.contains(key)
                || QuorumAuth.TLS_KEYS.contains(key)) {
            return Verdict.ACCEPTED;
        }
        return new Verdict(Action.REFUSE, asks);
    }

    /** Whether {@link #judge} knows this key (zoo.cfg spelling). */
    static boolean covers(String key) {
        return key.startsWith("authProvider.") || asks(key) != null || ClientTlsConfig.KEYS.contains(key)
                || QuorumAuth.TLS_KEYS.contains(key);
    }

    /** What a key asks for when set to anything but false, or null when it is not a security key. */
    private static String asks(String key) {
        if (key.startsWith("ssl.quorum.") || key.startsWith("sslQuorum")) {
            return "TLS between servers in a way Paddock does not provide";
        }
        if (key.startsWith("ssl.") || key.equals("client.secure") || key.equals("client.portUnification")
                || key.equals("secureClientPort") || key.equals("secureClientPortAddress")) {
            return "TLS for clients";
        }
        if (key.equals("metricsProvider.httpsPort")) {
            return "HTTPS on the metrics endpoint";
        }
        return null;
    }

    private static boolean isFalse(String v) {
        String t = v.toLowerCase(Locale.ROOT);
        return t.equals("false") || t.equals("no");
    }
}
