package io.paddock.server.sasl;

import io.paddock.protocol.Id;
import io.paddock.protocol.KerberosLogin;
import io.paddock.server.config.ConfigException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the client port authenticates: SASL from the JAAS section named by
 * {@code sasl.serverconfig} (default {@code Server}), who is a super user by SASL
 * ({@code superUser}), how principals become ids, and which schemes a connection must have
 * authenticated with before it is served ({@code enforce.auth.*} or the older
 * {@code sessionRequireClientSASLAuth}). Each key is a zoo.cfg key or, as Apache ZooKeeper reads
 * them, the {@code zookeeper.<key>} system property.
 *
 * @param saslEnabled      whether the JAAS section exists; without it a sasl request is answered
 *                         with a null token and grants nothing, as Apache does
 * @param section          the JAAS section's name
 * @param users            DIGEST-MD5 users and passwords ({@code user_<name>} options)
 * @param superPassword    password of the user {@code super} overriding the section's, or null
 * @param superUsers       sasl ids that are also granted {@code super}
 * @param names            how a proven principal becomes the sasl id
 * @param allowFailedSasl  {@code allowSaslFailedClients}: a failed exchange keeps the connection
 * @param enforcedSchemes  schemes one of which a connection must hold to be served; empty: none
 * @param kerberos         the section's Kerberos login when it uses Krb5LoginModule (clients then
 *                         authenticate with GSSAPI, as this service principal), else null (DIGEST-MD5)
 */
public record ClientAuthConfig(boolean saslEnabled, String section, Map<String, String> users, String superPassword,
                               Set<String> superUsers, PrincipalNames names, boolean allowFailedSasl,
                               Set<String> enforcedSchemes, KerberosLogin kerberos) {

    /** No SASL, no enforcement: what a server without any of these settings does. */
    public static final ClientAuthConfig NONE = new ClientAuthConfig(false, "Server", Map.of(), null, Set.of(),
            new PrincipalNames(false, false, ""), false, Set.of(), null);

    private static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    private static final Map<String, String> PROVIDER_SCHEMES = Map.of(
            SASL_PROVIDER, "sasl",
            "org.apache.zookeeper.server.auth.X509AuthenticationProvider", "x509",
            "org.apache.zookeeper.server.auth.DigestAuthenticationProvider", "digest",
            "org.apache.zookeeper.server.auth.IPAuthenticationProvider", "ip");

    /** The zoo.cfg keys (without {@code zookeeper.}) read here; {@code superUser.<anything>} too. */
    private static final Set<String> KEYS = Set.of("sasl.serverconfig", "superUser", "kerberos.removeHostFromPrincipal",
            "kerberos.removeRealmFromPrincipal", "SASLAuthenticationProvider.superPassword", "allowSaslFailedClients",
            "enforce.auth.enabled", "enforce.auth.schemes", "sessionRequireClientSASLAuth");

    public ClientAuthConfig {
        users = Map.copyOf(users);
        superUsers = Set.copyOf(superUsers);
        enforcedSchemes = Set.copyOf(enforcedSchemes);
    }

    /** Whether {@code key} (zoo.cfg spelling) is read here. */
    public static boolean reads(String key) {
        return KEYS.contains(key) || key.startsWith("superUser.");
    }

    /** Whether a connection must authenticate before it is served. */
    public boolean enforced() {
        return !enforcedSchemes.isEmpty();
    }

    /** Whether SASL in particular is required (a failed exchange is then answered SessionClosedRequireAuth). */
    public boolean saslRequired() {
        return enforcedSchemes.contains("sasl");
    }

    /** Whether identities satisfy the enforcement (always true when nothing is enforced). */
    public boolean admits(List<Id> identities) {
        if (!enforced()) {
            return true;
        }
        for (Id id : identities) {
            if (enforcedSchemes.contains(id.scheme())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the settings from zoo.cfg properties (and {@code zookeeper.*} system properties) and
     * the JAAS section. {@code digestEnabled}: whether the digest scheme is offered, for checking
     * {@code enforce.auth.schemes}. A bad value is a ConfigException naming the key and the file.
     */
    public static ClientAuthConfig read(Properties props, String source, boolean digestEnabled) {
        return new Reader(props, source).read(digestEnabled);
    }

    private record Reader(Properties props, String source) {
        ClientAuthConfig read(boolean digestEnabled) {
            String explicitSection = value("sasl.serverconfig");
            String sectionName = explicitSection == null || explicitSection.isEmpty() ? "Server" : explicitSection;
            Optional<JaasSection> section = JaasSection.find(sectionName);
            if (section.isEmpty() && explicitSection != null) {
                throw new ConfigException(where("sasl.serverconfig") + ": the JAAS configuration " + JaasSection.file()
                        + " has no section '" + sectionName + "'");
            }
            KerberosLogin kerberos = section.isPresent() && section.get().uses("Krb5LoginModule")
                    ? JaasSection.kerberosLogin(sectionName, "the client port's SASL (sasl.serverconfig)") : null;
            Set<String> superUsers = new TreeSet<>();
            for (String key : props.stringPropertyNames()) {
                if (key.equals("superUser") || key.startsWith("superUser.")) {
                    superUsers.add(props.getProperty(key).trim());
                }
            }
            for (String name : System.getProperties().stringPropertyNames()) {
                if (name.equals("zookeeper.superUser") || name.startsWith("zookeeper.superUser.")) {
                    superUsers.add(System.getProperty(name).trim());
                }
            }
            superUsers.remove("");
            PrincipalNames names = PrincipalNames.of(bool("kerberos.removeHostFromPrincipal"),
                    bool("kerberos.removeRealmFromPrincipal"));
            return new ClientAuthConfig(section.isPresent(), sectionName,
                    section.map(s -> s.prefixed("user_")).orElse(Map.of()),
                    value("SASLAuthenticationProvider.superPassword"), superUsers, names, bool("allowSaslFailedClients"),
                    enforcedSchemes(digestEnabled), kerberos);
        }

        /** Apache's rule: sessionRequireClientSASLAuth=true means sasl, whatever enforce.auth.* say. */
        private Set<String> enforcedSchemes(boolean digestEnabled) {
            if (bool("sessionRequireClientSASLAuth")) {
                requireOffered("sessionRequireClientSASLAuth", "sasl", digestEnabled);
                return Set.of("sasl");
            }
            if (!bool("enforce.auth.enabled")) {
                return Set.of();
            }
            String text = value("enforce.auth.schemes");
            Set<String> schemes = new LinkedHashSet<>();
            if (text != null) {
                for (String s : text.split(",")) {
                    if (!s.trim().isEmpty()) {
                        schemes.add(s.trim());
                    }
                }
            }
            if (schemes.isEmpty()) {
                throw new ConfigException(where("enforce.auth.enabled") + ": enforce.auth.schemes must name the"
                        + " schemes a client must authenticate with (e.g. sasl or digest)");
            }
            for (String scheme : schemes) {
                requireOffered("enforce.auth.schemes", scheme, digestEnabled);
            }
            return schemes;
        }

        /** As Apache: an enforced scheme must be one a provider offers, or no client could ever pass. */
        private void requireOffered(String key, String scheme, boolean digestEnabled) {
            Set<String> offered = new TreeSet<>();
            offered.add("ip");
            if (digestEnabled) {
                offered.add("digest");
            }
            props.stringPropertyNames().stream().filter(k -> k.startsWith("authProvider."))
                    .map(k -> PROVIDER_SCHEMES.get(props.getProperty(k).trim())).filter(Objects::nonNull).forEach(offered::add);
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("zookeeper.authProvider."))
                    .map(k -> PROVIDER_SCHEMES.get(System.getProperty(k).trim())).filter(Objects::nonNull)
                    .forEach(offered::add);
            if (!offered.contains(scheme)) {
                throw new ConfigException(where(key) + ": no authentication provider offers the scheme '" + scheme
                        + "' (offered: " + String.join(", ", offered) + ")"
                        + (scheme.equals("sasl") ? "; add authProvider.1=" + SASL_PROVIDER : ""));
            }
        }

        private String value(String key) {
            String v = props.getProperty(key);
            if (v == null) {
                v = System.getProperty("zookeeper." + key);
            }
            return v == null ? null : v.trim();
        }

        private boolean bool(String key) {
            String v = value(key);
            if (v == null || v.isEmpty()) {
                return false;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw new ConfigException("invalid value '" + v + "' for " + where(key) + ": expected true or false");
            };
        }

        /** The setting as a message names it: the key, its value and where it came from. */
        private String where(String key) {
            String v = props.getProperty(key);
            return v != null ? key + "=" + v.trim() + " in " + source
                    : "system property zookeeper." + key + "=" + System.getProperty("zookeeper." + key);
        }
    }
}
