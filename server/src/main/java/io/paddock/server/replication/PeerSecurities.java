package io.paddock.server.replication;

import io.paddock.protocol.Kerberos;
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
    /** Apache's system property: Kerberos host names of servers are their canonical (reverse DNS) names. */
    static final String CANONICALIZE_HOST_NAMES = "zookeeper.kerberos.canonicalizeHostNames";

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
        JaasSection server = section(auth.serverLoginContext(), "quorum.auth.server.saslLoginContext");
        JaasSection learner = section(auth.learnerLoginContext(), "quorum.auth.learner.saslLoginContext");
        if (server.uses("Krb5LoginModule") || learner.uses("Krb5LoginModule")) {
            return new PeerSasl(auth.learnerRequiresSasl(), auth.serverRequiresSasl(), kerberos(auth, server, learner));
        }
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
        return new PeerSasl(auth.learnerRequiresSasl(), auth.serverRequiresSasl(),
                new PeerSasl.Digest(users, username, password));
    }

    /** Both sections must log in with Kerberos: a server that dials with one mechanism accepts with it too. */
    private static PeerSasl.Gssapi kerberos(QuorumAuth auth, JaasSection server, JaasSection learner) {
        for (JaasSection s : new JaasSection[] {server, learner}) {
            if (!s.uses("Krb5LoginModule")) {
                throw new ConfigException("JAAS section " + s.name() + " in " + JaasSection.file() + " does not use"
                        + " Krb5LoginModule while the other quorum section does; between servers both sections use"
                        + " Kerberos or neither does");
            }
        }
        String pattern = auth.kerberosServicePrincipal();
        try {
            Kerberos.Principal.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("quorum.auth.kerberos.servicePrincipal=" + pattern + ": " + e.getMessage());
        }
        return new PeerSasl.Gssapi(JaasSection.kerberosLogin(server.name(), "accepting other servers (" 
                        + "quorum.auth.server.saslLoginContext)"),
                JaasSection.kerberosLogin(learner.name(), "dialling other servers (quorum.auth.learner.saslLoginContext)"),
                pattern, Boolean.getBoolean(CANONICALIZE_HOST_NAMES));
    }

    /**
     * A section as data. For DIGEST-MD5 only its options are used, so the login module Apache
     * names there (its DigestLoginModule) need not be on the class path; a Krb5LoginModule
     * section is logged in with.
     */
    private static JaasSection section(String name, String key) {
        return JaasSection.find(name).orElseThrow(() -> new ConfigException("the JAAS file "
                + JaasSection.file() + " has no section " + name + " (named by " + key + ")"));
    }
}
