package io.paddock.server.replication;

import io.paddock.server.config.ConfigException;
import io.paddock.server.config.QuorumAuth;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.peer.PeerSasl;
import io.paddock.server.peer.PeerSecurity;
import io.paddock.server.peer.PeerTls;
import io.paddock.server.tls.ReloadingSslContext;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

/**
 * Turns the configuration's quorum authentication settings into what the peer transport uses,
 * reading the JAAS sections they name. Anything missing or unusable stops start-up with a message
 * naming the key, the section and the file: a server asked to authenticate its peers must never
 * run without.
 */
public final class PeerSecurities {
    private static final String JAAS_PROPERTY = "java.security.auth.login.config";

    private PeerSecurities() {
    }

    /** The security this server's peer connections run with. */
    public static PeerSecurity from(ServerConfig config) {
        QuorumAuth auth = config.quorumAuth();
        PeerSasl sasl = auth.sasl() ? sasl(auth, config.source()) : null;
        PeerTls tls = null;
        if (auth.tls() != null) {
            // Built now, so that a bad store stops start-up rather than every later connection.
            ReloadingSslContext server = ReloadingSslContext.forServer(auth.tls(), auth.reloadCerts());
            ReloadingSslContext client = ReloadingSslContext.forClient(auth.tls(), auth.reloadCerts());
            tls = new PeerTls(server::get, client::get, auth.tls().hostnameVerification());
        }
        return new PeerSecurity(tls, sasl);
    }

    private static PeerSasl sasl(QuorumAuth auth, String source) {
        String file = System.getProperty(JAAS_PROPERTY);
        String sections = "sections " + auth.serverLoginContext() + " and " + auth.learnerLoginContext();
        if (file == null || file.isBlank()) {
            throw new ConfigException("quorum.auth.enableSasl=true in " + source + " needs a JAAS file with the "
                    + sections + ": set -D" + JAAS_PROPERTY + "=<file> (in SERVER_JVMFLAGS)");
        }
        Configuration jaas;
        try {
            jaas = Configuration.getConfiguration();
        } catch (SecurityException e) {
            throw new ConfigException("cannot read the JAAS file " + file + " (" + JAAS_PROPERTY + "): "
                    + e.getMessage(), e);
        }
        Map<String, ?> server = digestOptions(jaas, auth.serverLoginContext(), "quorum.auth.server.saslLoginContext",
                file);
        Map<String, ?> learner = digestOptions(jaas, auth.learnerLoginContext(),
                "quorum.auth.learner.saslLoginContext", file);
        Map<String, String> users = new HashMap<>();
        server.forEach((k, v) -> {
            if (k.startsWith("user_") && k.length() > "user_".length()) {
                users.put(k.substring("user_".length()), String.valueOf(v));
            }
        });
        if (users.isEmpty()) {
            throw new ConfigException("JAAS section " + auth.serverLoginContext() + " in " + file
                    + " names no user (user_<name>=\"<password>\") for other servers to authenticate as");
        }
        Object username = learner.get("username");
        Object password = learner.get("password");
        if (username == null || password == null) {
            throw new ConfigException("JAAS section " + auth.learnerLoginContext() + " in " + file
                    + " needs username=\"...\" and password=\"...\" for this server to authenticate with");
        }
        return new PeerSasl(auth.learnerRequiresSasl(), auth.serverRequiresSasl(), users, String.valueOf(username),
                String.valueOf(password));
    }

    /**
     * The options of a section's login module. Only the options are read: the module Apache names
     * there (its DigestLoginModule) is not needed for DIGEST-MD5, so it need not be on the class path.
     */
    private static Map<String, ?> digestOptions(Configuration jaas, String section, String key, String file) {
        AppConfigurationEntry[] entries = jaas.getAppConfigurationEntry(section);
        if (entries == null || entries.length == 0) {
            throw new ConfigException("the JAAS file " + file + " has no section " + section + " (named by " + key
                    + ")");
        }
        AppConfigurationEntry entry = entries[0];
        if (entry.getLoginModuleName().contains("Krb5LoginModule")) {
            throw new ConfigException("JAAS section " + section + " in " + file + " asks for Kerberos between servers,"
                    + " which Paddock does not provide yet; use DIGEST-MD5 (a user_<name> / username and password"
                    + " section) or sslQuorum");
        }
        return entry.getOptions();
    }
}
