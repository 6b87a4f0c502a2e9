package io.paddock.server.config;

import io.paddock.server.tls.TlsSettings;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * TLS for clients, with Apache ZooKeeper's keys: a second listener on {@code secureClientPort}
 * (optionally bound to {@code secureClientPortAddress}) that speaks only TLS,
 * {@code client.portUnification} to accept TLS and plaintext on {@code clientPort}, the
 * {@code ssl.*} key and trust stores, {@code client.certReload} to follow changes of those files,
 * and the certificate subject that is super user ({@code X509AuthenticationProvider.superUser}).
 *
 * @param secureClientPort        the TLS-only port, or -1 for none
 * @param secureClientPortAddress the address it binds to, or null for all
 * @param portUnification         whether the plaintext port also accepts TLS
 * @param certReload              whether the stores are reloaded when their files change
 * @param ssl                     the {@code ssl.*} settings; null when no listener uses TLS
 * @param x509SuperUser           the subject (as X500Principal renders it) given super; null for none
 */
public record ClientTlsConfig(int secureClientPort, String secureClientPortAddress, boolean portUnification,
                              boolean certReload, TlsSettings ssl, String x509SuperUser) {

    /** Every key read here (zoo.cfg spelling; each also as the {@code zookeeper.<key>} system property). */
    public static final Set<String> KEYS = keys();

    private static Set<String> keys() {
        Set<String> keys = new HashSet<>(Set.of("secureClientPort", "secureClientPortAddress", "client.portUnification",
                "client.certReload", "X509AuthenticationProvider.superUser", "client.secure"));
        TlsSettings.KEYS.forEach(k -> keys.add("ssl." + k));
        return Set.copyOf(keys);
    }

    /** Whether any listener speaks TLS. */
    public boolean enabled() {
        return ssl != null;
    }

    /**
     * Reads the keys through {@code lookup}, which gives the zoo.cfg value of a key or else its
     * {@code zookeeper.<key>} system property (zoo.cfg wins: Apache copies it over the property).
     */
    static ClientTlsConfig read(UnaryOperator<String> lookup, String source) {
        int securePort = -1;
        String portText = lookup.apply("secureClientPort");
        if (portText != null && !portText.isBlank()) {
            try {
                securePort = Integer.parseInt(portText.trim());
            } catch (NumberFormatException e) {
                securePort = -2;
            }
            if (securePort < 0 || securePort > 65535) {
                throw new ConfigException("invalid value '" + portText + "' for secureClientPort in " + source
                        + ": must be a port between 0 and 65535");
            }
        }
        String address = blankToNull(lookup.apply("secureClientPortAddress"));
        boolean unification = bool(lookup, "client.portUnification", source);
        boolean reload = bool(lookup, "client.certReload", source);
        String superUser = blankToNull(lookup.apply("X509AuthenticationProvider.superUser"));
        if (securePort < 0 && !unification) {
            return new ClientTlsConfig(-1, address, false, reload, null, superUser);
        }
        TlsSettings ssl = TlsSettings.read("ssl.", lookup, source);
        if (ssl.keyStore() == null) {
            throw new ConfigException("ssl.keyStore.location is not set in " + source + ", but "
                    + (securePort >= 0 ? "secureClientPort" : "client.portUnification") + " asks for TLS, which needs"
                    + " this server's key and certificate");
        }
        return new ClientTlsConfig(securePort, address, unification, reload, ssl, superUser);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean bool(UnaryOperator<String> lookup, String key, String source) {
        String v = blankToNull(lookup.apply(key));
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new ConfigException("invalid value '" + v + "' for " + key + " in " + source
                    + ": expected true or false");
        };
    }
}
