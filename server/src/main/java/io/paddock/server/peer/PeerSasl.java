package io.paddock.server.peer;

import io.paddock.protocol.DigestMd5;
import io.paddock.server.sasl.DigestSasl;
import java.util.Map;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.LoggerFactory;

/**
 * SASL DIGEST-MD5 between servers (Apache's {@code quorum.auth.*}): the dialling server (the
 * "learner" side of a connection) proves a shared user's password to the accepting one (the
 * "server" side), which proves it back (DIGEST-MD5's rspauth). Credentials come from the JAAS
 * sections Apache uses; reading them is the caller's job, so this class holds only what the
 * exchange needs.
 *
 * @param learnerRequires quorum.auth.learnerRequireSasl: a dialled server that does not take part
 *     fails the connection (otherwise the connection goes on unauthenticated, for a rolling change)
 * @param serverRequires quorum.auth.serverRequireSasl: a dialling server that does not authenticate
 *     is refused (otherwise it is let in unauthenticated)
 * @param users the accepting side's credentials ({@code user_<name>} options of QuorumServer)
 * @param username the dialling side's user (QuorumLearner's {@code username})
 * @param password the dialling side's password (QuorumLearner's {@code password})
 */
public record PeerSasl(boolean learnerRequires, boolean serverRequires, Map<String, String> users, String username,
                       String password) {
    public PeerSasl {
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
        return "PeerSasl[learnerRequires=" + learnerRequires + ", serverRequires=" + serverRequires + ", users="
                + users.keySet() + ", username=" + username + "]";
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

    /** A new exchange for a connection this server dialled. */
    SaslClient newClient() throws SaslException {
        return DigestSasl.client(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, username, password);
    }

    /** A new exchange for a connection this server accepted; a user may act only as itself. */
    SaslServer newServer() throws SaslException {
        return DigestSasl.server(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, users, null,
                DigestSasl.Authorizer.SELF_ONLY);
    }
}
