package io.paddock.server.peer;

import io.paddock.protocol.DigestMd5;
import io.paddock.protocol.Kerberos;
import io.paddock.protocol.KerberosLogin;
import io.paddock.server.sasl.Authorizer;
import io.paddock.server.sasl.DigestSasl;
import io.paddock.server.sasl.KerberosSasl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.LoggerFactory;

/**
 * SASL between servers (Apache's {@code quorum.auth.*}): the dialling server (the "learner" side
 * of a connection) proves who it is to the accepting one (the "server" side), which proves itself
 * back. Credentials come from the JAAS sections Apache uses; reading them is the caller's job, so
 * this class holds only what the exchanges need.
 *
 * @param learnerRequires quorum.auth.learnerRequireSasl: a dialled server that does not take part
 *     fails the connection (otherwise the connection goes on unauthenticated, for a rolling change)
 * @param serverRequires quorum.auth.serverRequireSasl: a dialling server that does not authenticate
 *     is refused (otherwise it is let in unauthenticated)
 * @param mechanism DIGEST-MD5 with shared passwords, or Kerberos
 */
public record PeerSasl(boolean learnerRequires, boolean serverRequires, Mechanism mechanism) {
    /** How servers prove who they are. */
    public sealed interface Mechanism permits Digest, Gssapi {
    }

    /**
     * DIGEST-MD5: the dialling server proves a shared user's password, and the accepting one
     * proves it back (rspauth).
     *
     * @param users the accepting side's credentials ({@code user_<name>} options of QuorumServer)
     * @param username the dialling side's user (QuorumLearner's {@code username})
     * @param password the dialling side's password (QuorumLearner's {@code password})
     */
    public record Digest(Map<String, String> users, String username, String password) implements Mechanism {
        public Digest {
            users = Map.copyOf(users);
            if (users.isEmpty()) {
                throw new IllegalArgumentException("no user to accept");
            }
            if (username == null || password == null) {
                throw new IllegalArgumentException("no user to authenticate as");
            }
        }

        @Override
        public String toString() {
            return "DIGEST-MD5[users=" + users.keySet() + ", username=" + username + "]";
        }
    }

    /**
     * Kerberos (GSSAPI): the dialling server proves its principal to the dialled server's service
     * principal, and mutual authentication proves that one back.
     *
     * @param server the accepting identity (QuorumServer's Krb5LoginModule: keytab and principal)
     * @param learner the dialling identity (QuorumLearner's)
     * @param servicePrincipal quorum.auth.kerberos.servicePrincipal: the principal a dialled server
     *     is addressed as; {@code _HOST} in it becomes that server's host
     * @param canonicalize zookeeper.kerberos.canonicalizeHostNames: hosts are first turned into
     *     their canonical names (reverse DNS), as Apache does
     */
    public record Gssapi(KerberosLogin server, KerberosLogin learner, String servicePrincipal, boolean canonicalize)
            implements Mechanism {
        /** The host a server's Kerberos principals name, for its configured host. */
        String kerberosHost(String configured) {
            if (!canonicalize) {
                return configured;
            }
            try {
                return InetAddress.getByName(configured).getCanonicalHostName();
            } catch (UnknownHostException e) {
                return configured;
            }
        }

        @Override
        public String toString() {
            return "GSSAPI[server=" + server.principal().getName() + ", learner=" + learner.principal().getName()
                    + ", servicePrincipal=" + servicePrincipal + "]";
        }
    }

    /** What an exchange's dispose is; both sides' exchanges have one. */
    interface Disposal {
        void dispose() throws SaslException;
    }

    /** Ends an exchange; a failure to release its state is no one's concern but the log's. */
    static void disposeQuietly(Disposal exchange) {
        try {
            exchange.dispose();
        } catch (SaslException e) {
            LoggerFactory.getLogger(PeerSasl.class).debug("disposing a SASL exchange", e);
        }
    }

    /** A new exchange for a connection this server dialled to a server on {@code host}. */
    SaslClient newClient(String host) throws SaslException {
        if (mechanism instanceof Digest d) {
            return DigestSasl.client(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, d.username(), d.password());
        }
        Gssapi k = (Gssapi) mechanism;
        return KerberosSasl.client(k.learner(),
                Kerberos.Principal.parse(Kerberos.Principal.forHost(k.servicePrincipal(), k.kerberosHost(host))));
    }

    /**
     * A new exchange for a connection this server accepted from a server claiming to be on
     * {@code claimedHost}. A user may act only as itself; a Kerberos principal must also name that
     * host ({@code service/host@REALM}), so one server's keytab cannot claim another's id.
     */
    SaslServer newServer(String claimedHost) throws SaslException {
        if (mechanism instanceof Digest d) {
            return DigestSasl.server(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, d.users(), null,
                    Authorizer.SELF_ONLY);
        }
        Gssapi k = (Gssapi) mechanism;
        return KerberosSasl.server(k.server(), (authenticated, requested) -> {
            if (Authorizer.SELF_ONLY.authorize(authenticated, requested) == null) {
                return null;
            }
            String host = hostOf(authenticated);
            String expected = claimedHost == null ? null : k.kerberosHost(claimedHost).toLowerCase(Locale.ROOT);
            if (host == null || !host.toLowerCase(Locale.ROOT).equals(expected)) {
                LoggerFactory.getLogger(PeerSasl.class).warn("Kerberos principal {} refused: a server claiming"
                        + " host {} must authenticate as service/{}@REALM", authenticated, claimedHost, expected);
                return null;
            }
            return authenticated;
        });
    }

    /** The host part of a principal name, or null when it has none or is not a principal. */
    private static String hostOf(String principal) {
        try {
            return Kerberos.Principal.parse(principal).host();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
