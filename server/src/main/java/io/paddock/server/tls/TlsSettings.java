package io.paddock.server.tls;

import io.paddock.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The TLS settings of one side of Paddock, read under a key prefix as Apache ZooKeeper's
 * X509Util reads them: {@code ssl.} for the client port, {@code ssl.quorum.} between servers.
 * Each key is {@code <prefix>keyStore.location}, {@code <prefix>trustStore.type} and so on.
 *
 * @param prefix               the key prefix, e.g. {@code ssl.}
 * @param keyStore             this side's key and certificate chain; null when not configured
 * @param trustStore           the certificates peers are checked against; null for the JDK's default
 * @param enabledProtocols     protocols offered ({@code <prefix>enabledProtocols}, else {@code <prefix>protocol});
 *                             empty for the JDK's defaults
 * @param cipherSuites         cipher suites offered ({@code <prefix>ciphersuites}); empty for the JDK's defaults
 * @param clientAuth           whether a server asks its peer for a certificate ({@code <prefix>clientAuth})
 * @param hostnameVerification whether a client checks the server's name against its certificate
 *                             ({@code <prefix>hostnameVerification}, default true)
 */
public record TlsSettings(String prefix, StoreFile keyStore, StoreFile trustStore, List<String> enabledProtocols,
                          List<String> cipherSuites, ClientAuth clientAuth, boolean hostnameVerification) {

    /** The key suffixes read under the prefix. */
    public static final List<String> KEYS = List.of(
            "keyStore.location", "keyStore.password", "keyStore.passwordPath", "keyStore.type",
            "trustStore.location", "trustStore.password", "trustStore.passwordPath", "trustStore.type",
            "protocol", "enabledProtocols", "ciphersuites", "clientAuth", "hostnameVerification");

    public TlsSettings {
        enabledProtocols = List.copyOf(enabledProtocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /**
     * Reads the settings under {@code prefix}. {@code lookup} gives a key's value (zoo.cfg spelling)
     * or null; {@code where} names its source (the file) in messages.
     */
    public static TlsSettings read(String prefix, UnaryOperator<String> lookup, String where) {
        Reader r = new Reader(prefix, lookup, where);
        List<String> protocols = r.list("enabledProtocols");
        if (protocols.isEmpty() && r.value("protocol") != null) {
            protocols = List.of(r.value("protocol"));
        }
        return new TlsSettings(prefix, r.store("keyStore"), r.store("trustStore"), protocols, r.list("ciphersuites"),
                ClientAuth.parse(prefix + "clientAuth", r.value("clientAuth"), where), r.bool("hostnameVerification", true));
    }

    /** Reads the settings from the JVM's {@code zookeeper.<prefix>...} system properties, as a client does. */
    public static TlsSettings fromSystemProperties(String prefix) {
        return read(prefix, key -> System.getProperty("zookeeper." + key), "the system properties");
    }

    /** Reads a prefix's keys. */
    private record Reader(String prefix, UnaryOperator<String> lookup, String where) {
        String value(String suffix) {
            String v = lookup.apply(prefix + suffix);
            return v == null || v.isBlank() ? null : v.trim();
        }

        List<String> list(String suffix) {
            String v = value(suffix);
            return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        boolean bool(String suffix, boolean def) {
            String v = value(suffix);
            if (v == null) {
                return def;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw new ConfigException("invalid value '" + v + "' for " + prefix + suffix + " in " + where
                        + ": expected true or false");
            };
        }

        /** {@code keyStore} or {@code trustStore}: null when its location is not set. */
        StoreFile store(String which) {
            String location = value(which + ".location");
            if (location == null) {
                return null;
            }
            String locationKey = prefix + which + ".location";
            StoreType type = StoreType.of(prefix + which + ".type", value(which + ".type"), locationKey, location, where);
            return new StoreFile(locationKey, Path.of(location), password(which), type);
        }

        /** {@code <which>.passwordPath} (a file holding it) wins over {@code <which>.password}, as in Apache. */
        private String password(String which) {
            String path = value(which + ".passwordPath");
            if (path == null) {
                String p = lookup.apply(prefix + which + ".password");
                return p == null ? "" : p;
            }
            try {
                String secret = Files.readString(Path.of(path), StandardCharsets.UTF_8);
                return secret.endsWith("\n") ? secret.substring(0, secret.length() - 1) : secret;
            } catch (IOException e) {
                throw new ConfigException("cannot read " + prefix + which + ".passwordPath=" + path + " in " + where
                        + ": " + e, e);
            }
        }
    }
}
