package io.paddock.server.admin;

import io.paddock.server.config.ConfigException;
import io.paddock.server.tls.ClientAuth;
import io.paddock.server.tls.TlsSettings;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Whether the admin server speaks HTTPS, as Apache ZooKeeper 3.9's admin server decides it:
 * {@code admin.forceHttps} serves TLS only, {@code admin.portUnification} serves TLS and plain HTTP
 * on the one port (forceHttps wins when both are set), {@code admin.needClientAuth} demands a
 * client certificate. The key and trust stores, protocols and cipher suites are the
 * {@code ssl.quorum.*} ones (Apache reads them through its quorum X509 settings); their
 * {@code clientAuth} is not used here.
 *
 * @param mode            plain HTTP, TLS and plain on one port, or TLS only
 * @param tls             the TLS settings (client authentication from needClientAuth); null for {@link Mode#HTTP}
 * @param needClientAuth  whether a client must present a certificate the trust store vouches for
 */
public record AdminHttps(Mode mode, TlsSettings tls, boolean needClientAuth) {
    /** The admin server's TLS keys (zoo.cfg spelling; each also as the {@code zookeeper.<key>} system property). */
    public static final String FORCE_HTTPS = "admin.forceHttps";
    public static final String PORT_UNIFICATION = "admin.portUnification";
    public static final String NEED_CLIENT_AUTH = "admin.needClientAuth";
    /** Where the key and trust stores are read from. */
    static final String PREFIX = "ssl.quorum.";

    /** Plain HTTP, as by default. */
    public static final AdminHttps PLAIN = new AdminHttps(Mode.HTTP, null, false);

    /** How the port answers. */
    public enum Mode {
        /** Plain HTTP only. */
        HTTP,
        /** TLS when the client's first byte starts a TLS handshake, else plain HTTP. */
        UNIFIED,
        /** TLS only: a plain request gets no answer, the connection is closed. */
        HTTPS
    }

    public AdminHttps {
        if (mode != Mode.HTTP && tls == null) {
            throw new IllegalArgumentException("HTTPS needs TLS settings");
        }
    }

    /** Whether the port speaks TLS at all. */
    public boolean secure() {
        return mode != Mode.HTTP;
    }

    /**
     * Reads the keys through {@code lookup} (zoo.cfg spelling to value, or null). A key store is
     * required once HTTPS is asked for, and a trust store once client certificates are.
     *
     * @throws ConfigException naming the key that is missing or wrong
     */
    static AdminHttps read(UnaryOperator<String> lookup) {
        boolean force = bool(lookup, FORCE_HTTPS);
        boolean unified = bool(lookup, PORT_UNIFICATION);
        boolean needClientAuth = bool(lookup, NEED_CLIENT_AUTH);
        if (!force && !unified) {
            return PLAIN;
        }
        String asked = force ? FORCE_HTTPS : PORT_UNIFICATION;
        TlsSettings read = TlsSettings.read(PREFIX, lookup, "the admin server's HTTPS settings");
        if (read.keyStore() == null) {
            throw new ConfigException(PREFIX + "keyStore.location is not set, but " + asked
                    + "=true needs the admin server's key and certificate");
        }
        if (needClientAuth && read.trustStore() == null) {
            // Else the JVM's public authorities would vouch for the admin server's clients.
            throw new ConfigException(PREFIX + "trustStore.location is not set, but " + NEED_CLIENT_AUTH
                    + "=true needs the authorities client certificates are checked against");
        }
        TlsSettings tls = new TlsSettings(PREFIX, read.keyStore(), read.trustStore(), read.enabledProtocols(),
                read.cipherSuites(), needClientAuth ? ClientAuth.NEED : ClientAuth.NONE, read.hostnameVerification());
        return new AdminHttps(force ? Mode.HTTPS : Mode.UNIFIED, tls, needClientAuth);
    }

    /**
     * Apache reads these with Boolean.getBoolean, where anything but "true" means false. Here "yes"
     * and "no" count as the security keys' judge counts them (an operator who wrote yes meant it),
     * and anything else is refused rather than quietly leaving the port plain.
     */
    private static boolean bool(UnaryOperator<String> lookup, String key) {
        String v = lookup.apply(key);
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new ConfigException(key + " must be true or false, not \"" + v.trim() + "\"");
        };
    }
}
