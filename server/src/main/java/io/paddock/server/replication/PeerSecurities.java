package io.paddock.server.replication;

import io.paddock.server.config.ConfigException;
import io.paddock.server.config.QuorumAuth;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.peer.PeerSasl;
import io.paddock.server.peer.PeerSecurity;
import io.paddock.server.peer.PeerTls;
import io.paddock.server.tls.ReloadingSslContext;
import io.paddock.server.sasl.JaasSection;
import java.util.Map;

/**
 * Turns the configuration's quorum authentication settings into what the peer transport uses,
 * reading the JAAS sections they name. Anything missing or unusable stops start-up with a message
 * naming the key, the section and the file: a server asked to authenticate its peers must never
 * run without.
 */
public final class PeerSecurities {
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
        if (System.getProperty(JaasSection.FILE_PROPERTY) == null) {
            throw new ConfigException("quorum.auth.enableSasl=true in " + source + " needs a JAAS file with the sections "
                    + auth.serverLoginContext() + " and " + auth.learnerLoginContext() + ": set -D"
                    + JaasSection.FILE_PROPERTY + "=<file> (in SERVER_JVMFLAGS)");
        }
        JaasSection server = digestSection(auth.serverLoginContext(), "quorum.auth.server.saslLoginContext");
        JaasSection learner = digestSection(auth.learnerLoginContext(), "quorum.auth.learner.saslLoginContext");
        Map<String, String> users = server.prefixed("user_");
        if (users.isEmpty()) {
            throw new ConfigException("JAAS section " + server.name() + " in " + JaasSection.file()
                    + " names no user (user_<name>=\"<password>\") for other servers to authenticate as");
        }
        String username = learner.option("username");
        String password = learner.option("password");
        if (username == null || password == null) {
            throw new ConfigException("JAAS section " + learner.name() + " in " + JaasSection.file()
                    + " needs username=\"...\" and password=\"...\" for this server to authenticate with");
        }
        return new PeerSasl(auth.learnerRequiresSasl(), auth.serverRequiresSasl(), users, username, password);
    }

    /**
     * A section read for DIGEST-MD5: only its options are used, so the login module Apache names
     * there (its DigestLoginModule) need not be on the class path.
     */
    private static JaasSection digestSection(String name, String key) {
        JaasSection section = JaasSection.find(name).orElseThrow(() -> new ConfigException("the JAAS file "
                + JaasSection.file() + " has no section " + name + " (named by " + key + ")"));
        if (section.uses("Krb5LoginModule")) {
            throw new ConfigException("JAAS section " + name + " in " + JaasSection.file() + " asks for Kerberos between"
                    + " servers, which Paddock does not provide yet; use DIGEST-MD5 (user_<name> / username and"
                    + " password options) or sslQuorum");
        }
        return section;
    }
}
