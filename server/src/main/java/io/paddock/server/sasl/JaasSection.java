package io.paddock.server.sasl;

import io.paddock.server.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.paddock.protocol.KerberosLogin;
import javax.security.auth.login.LoginException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

/**
 * One section of the JVM's JAAS configuration (the file named by
 * {@code -Djava.security.auth.login.config}), read as data: the login module each entry names
 * and its options. Nothing here loads or runs a login module, so a section naming Apache's
 * {@code DigestLoginModule}, which Paddock does not ship, reads fine. Used for the client
 * port's {@code Server} section and reusable for the quorum's {@code QuorumServer} and
 * {@code QuorumLearner} sections.
 */
public record JaasSection(String name, List<Entry> entries) {
    /** The system property naming the JAAS file. */
    public static final String FILE_PROPERTY = "java.security.auth.login.config";

    /** One login module line of the section with its options. */
    public record Entry(String loginModule, Map<String, String> options) {
        public Entry {
            options = Map.copyOf(options);
        }
    }

    public JaasSection {
        entries = List.copyOf(entries);
    }

    /**
     * The named section, or empty when the JAAS configuration has none (or there is no JAAS
     * configuration at all). A JAAS file that cannot be read or parsed is a ConfigException
     * naming the file: a section was asked for, so running without it would be a surprise.
     */
    public static Optional<JaasSection> find(String name) {
        AppConfigurationEntry[] found;
        try {
            found = Configuration.getConfiguration().getAppConfigurationEntry(name);
        } catch (SecurityException | IllegalArgumentException e) {
            throw new ConfigException("cannot read the JAAS configuration " + file() + " (looking for section '" + name
                    + "'): " + e.getMessage(), e);
        }
        if (found == null || found.length == 0) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (AppConfigurationEntry e : found) {
            Map<String, String> options = new LinkedHashMap<>();
            e.getOptions().forEach((k, v) -> options.put(k, String.valueOf(v)));
            entries.add(new Entry(e.getLoginModuleName(), options));
        }
        return Optional.of(new JaasSection(name, entries));
    }

    /** The JAAS file as the JVM was told it, for messages. */
    public static String file() {
        String f = System.getProperty(FILE_PROPERTY);
        return f == null ? "(no -D" + FILE_PROPERTY + ")" : "'" + f + "'";
    }

    /** The first value of an option across the section's entries (e.g. {@code username}), or null. */
    public String option(String key) {
        for (Entry e : entries) {
            String v = e.options().get(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * Options whose key starts with {@code prefix}, keyed by the rest of the key: with
     * {@code user_}, DIGEST-MD5's user → password table ({@code user_bob="secret"}).
     */
    public Map<String, String> prefixed(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            e.options().forEach((k, v) -> {
                if (k.startsWith(prefix) && k.length() > prefix.length()) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
        }
        return Map.copyOf(out);
    }

    /**
     * Logs in with the Kerberos section {@code name} (its Krb5LoginModule runs: keytab, principal,
     * possibly the KDC). {@code purpose} says in a failure's message what the login was for. The
     * principal must name a host ({@code service/host@REALM}): it is what clients and other
     * servers address this server as. Anything else stops start-up with a ConfigException.
     */
    public static KerberosLogin kerberosLogin(String name, String purpose) {
        KerberosLogin login;
        try {
            login = KerberosLogin.login(name);
        } catch (LoginException | RuntimeException e) {
            throw new ConfigException("Kerberos login with JAAS section '" + name + "' of " + file() + " (for " + purpose
                    + ") failed: " + e.getMessage(), e);
        }
        if (login.parts().host() == null) {
            throw new ConfigException("JAAS section '" + name + "' of " + file() + " (for " + purpose + ") logged in as "
                    + login.principal().getName() + ", which names no host; a server's principal is service/host@REALM"
                    + " (e.g. zookeeper/zk1.example.com@EXAMPLE.COM)");
        }
        return login;
    }

    /** Whether an entry names a login module whose class name ends with {@code simpleName}. */
    public boolean uses(String simpleName) {
        return entries.stream().anyMatch(e -> e.loginModule().endsWith(simpleName));
    }
}
