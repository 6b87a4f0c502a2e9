package io.paddock.server.config;

import java.util.Locale;
import java.util.Set;

/**
 * Judges Apache ZooKeeper's security settings, which Paddock does not provide yet (TLS, SASL,
 * enforced authentication). Quota enforcement and the audit log Paddock provides: those keys
 * ({@code enforceQuota}, {@code audit.enable}) are read by {@link QuotaAuditConfig}, not judged here. A setting that asks for one of them must stop
 * start-up: a config written to be secure would otherwise run open, with only a warning in a
 * log nobody reads. A setting that asks for nothing is accepted: {@code false} (or an empty
 * value) of any of them, and an authentication provider merely offered to clients.
 *
 * <p>Keys are given as zoo.cfg names; Apache also reads each as the system property
 * {@code zookeeper.<key>} (it copies unknown zoo.cfg keys into such properties), so the caller
 * strips that prefix and asks the same question.
 */
final class SecurityKeys {
    /**
     * Providers that may be offered without promising anything: a client chooses whether to
     * authenticate, and none of them denies a client that does not. Digest and ip Paddock
     * implements. SASL and x509 it grants no identity through (a sasl request is answered as a
     * server without SASL answers it), so ACL entries of those schemes match nobody: access
     * fails closed, never open. kazoo's and others' test harnesses put the SASL provider into
     * every zoo.cfg. Any other class is refused: it may be a gatekeeper (Apache's
     * EnsembleAuthenticationProvider closes connections) whose check would silently vanish.
     */
    private static final Set<String> OFFERABLE_PROVIDERS = Set.of(
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
            return OFFERABLE_PROVIDERS.contains(v) || v.isEmpty()
                    ? new Verdict(Action.WARN, "authentication provider " + v + " (offered to clients; Paddock grants"
                            + " no sasl or x509 identity, so ACL entries of those schemes match nobody)")
                    : new Verdict(Action.REFUSE, "the authentication provider " + v);
        }
        if (key.startsWith("quorum.auth.") && !isBoolean(v)) {
            // Principal and login-context names: read by Apache only when quorum.auth.enableSasl is true.
            return new Verdict(Action.WARN, "a quorum SASL setting, used only with quorum.auth.enableSasl=true");
        }
        String asks = asks(key);
        if (asks == null || v.isEmpty() || isFalse(v)) {
            return Verdict.ACCEPTED;
        }
        return new Verdict(Action.REFUSE, asks);
    }

    /** Whether {@link #judge} knows this key (zoo.cfg spelling). */
    static boolean covers(String key) {
        return key.startsWith("authProvider.") || asks(key) != null;
    }

    /** What a key asks for when set to anything but false, or null when it is not a security key. */
    private static String asks(String key) {
        if (key.startsWith("ssl.quorum.") || key.equals("sslQuorum")) {
            return "TLS between servers";
        }
        if (key.startsWith("ssl.") || key.equals("client.secure") || key.equals("client.portUnification")
                || key.equals("secureClientPort") || key.equals("secureClientPortAddress")) {
            return "TLS for clients";
        }
        if (key.startsWith("quorum.auth.")) {
            return "SASL authentication between servers";
        }
        return switch (key) {
            case "enforce.auth.enabled", "enforce.auth.schemes" -> "authentication of every client";
            case "sessionRequireClientSASLAuth" -> "SASL authentication of every client";
            case "admin.forceHttps" -> "HTTPS on the admin server";
            default -> null;
        };
    }

    private static boolean isFalse(String v) {
        String t = v.toLowerCase(Locale.ROOT);
        return t.equals("false") || t.equals("no");
    }

    private static boolean isBoolean(String v) {
        String t = v.toLowerCase(Locale.ROOT);
        return t.isEmpty() || isFalse(t) || t.equals("true") || t.equals("yes");
    }
}
