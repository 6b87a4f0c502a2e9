package io.paddock.server.config;

import io.paddock.server.tls.ClientAuth;
import io.paddock.server.tls.TlsSettings;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How this server's ensemble members authenticate each other, as zoo.cfg's {@code quorum.auth.*}
 * (SASL) and {@code sslQuorum} / {@code ssl.quorum.*} (mutual TLS) keys say, with Apache
 * ZooKeeper's names and defaults. Reading the JAAS sections and key stores they name happens when
 * the server starts, not here.
 *
 * @param sasl quorum.auth.enableSasl
 * @param learnerRequiresSasl quorum.auth.learnerRequireSasl: refuse to talk to a server that does no SASL
 * @param serverRequiresSasl quorum.auth.serverRequireSasl: refuse a server that does not authenticate
 * @param learnerLoginContext quorum.auth.learner.saslLoginContext, the JAAS section for dialling
 * @param serverLoginContext quorum.auth.server.saslLoginContext, the JAAS section for accepting
 * @param kerberosServicePrincipal quorum.auth.kerberos.servicePrincipal: with Kerberos, the principal
 *     a dialled server is addressed as ({@code _HOST} becomes its host)
 * @param tls the ssl.quorum.* settings when sslQuorum=true, else null
 * @param reloadCerts sslQuorumReloadCertFiles: follow changes of the key and trust store files
 */
public record QuorumAuth(boolean sasl, boolean learnerRequiresSasl, boolean serverRequiresSasl,
                         String learnerLoginContext, String serverLoginContext, String kerberosServicePrincipal,
                         TlsSettings tls, boolean reloadCerts) {
    /** The TLS keys read here (zoo.cfg spelling; each also as the {@code zookeeper.<key>} system property). */
    public static final Set<String> TLS_KEYS = tlsKeys();
    public static final String DEFAULT_LEARNER_CONTEXT = "QuorumLearner";
    public static final String DEFAULT_SERVER_CONTEXT = "QuorumServer";
    /** Apache's default; a real ensemble sets {@code zkquorum/_HOST} or names its hosts. */
    public static final String DEFAULT_SERVICE_PRINCIPAL = "zkquorum/localhost";
    public static final QuorumAuth NONE = new QuorumAuth(false, false, false, DEFAULT_LEARNER_CONTEXT,
            DEFAULT_SERVER_CONTEXT, DEFAULT_SERVICE_PRINCIPAL, null, false);

    private static Set<String> tlsKeys() {
        Set<String> keys = new HashSet<>(Set.of("sslQuorum", "sslQuorumReloadCertFiles"));
        TlsSettings.KEYS.forEach(k -> keys.add("ssl.quorum." + k));
        return Set.copyOf(keys);
    }

    /**
     * The ssl.quorum.* settings when {@code sslQuorum} is on, else null. Every server both accepts
     * and dials, so it needs a key store, and it must demand its peers' certificates: a quorum
     * port that lets in a peer without one would authenticate nobody.
     */
    static TlsSettings readTls(boolean sslQuorum, UnaryOperator<String> lookup, String source) {
        if (!sslQuorum) {
            return null;
        }
        TlsSettings tls = TlsSettings.read("ssl.quorum.", lookup, source);
        if (tls.keyStore() == null) {
            throw new ConfigException("ssl.quorum.keyStore.location is not set in " + source + ", but sslQuorum=true"
                    + " needs this server's key and certificate");
        }
        if (tls.trustStore() == null) {
            throw new ConfigException("ssl.quorum.trustStore.location is not set in " + source + ": with sslQuorum=true"
                    + " the servers' certificates are checked against it, not against the JVM's public authorities");
        }
        if (tls.clientAuth() != ClientAuth.NEED) {
            throw new ConfigException("ssl.quorum.clientAuth=" + lookup.apply("ssl.quorum.clientAuth") + " in " + source
                    + " would let a server in without a certificate; between servers Paddock requires one (need)");
        }
        return tls;
    }

    public QuorumAuth {
        // Apache refuses the same combinations: each "require" builds on the one before it.
        if (!sasl && serverRequiresSasl) {
            throw new ConfigException("quorum.auth.enableSasl is false, so quorum.auth.serverRequireSasl cannot be true");
        }
        if (!sasl && learnerRequiresSasl) {
            throw new ConfigException("quorum.auth.enableSasl is false, so quorum.auth.learnerRequireSasl cannot be true");
        }
        if (!learnerRequiresSasl && serverRequiresSasl) {
            throw new ConfigException("quorum.auth.learnerRequireSasl is false, so quorum.auth.serverRequireSasl"
                    + " cannot be true");
        }
    }
}
