package io.paddock.server.peer;

import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

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
    static final String MECHANISM = "DIGEST-MD5";
    /** The protocol and server names DIGEST-MD5 binds into its digest; both sides must agree. */
    static final String PROTOCOL = "zookeeper-quorum";
    static final String SERVER_NAME = "zk-quorum-sasl-md5";
    private static final Map<String, String> PROPERTIES = Map.of(Sasl.QOP, "auth");

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

    /** A new exchange for a connection this server dialled. */
    SaslClient newClient() throws SaslException {
        CallbackHandler handler = callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(username);
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword(password.toCharArray());
                } else if (c instanceof RealmCallback r) {
                    r.setText(r.getDefaultText());
                } else {
                    throw new UnsupportedCallbackException(c);
                }
            }
        };
        SaslClient client = Sasl.createSaslClient(new String[] {MECHANISM}, null, PROTOCOL, SERVER_NAME, PROPERTIES,
                handler);
        if (client == null) {
            throw new SaslException("this JVM offers no " + MECHANISM + " client");
        }
        return client;
    }

    /** A new exchange for a connection this server accepted. */
    SaslServer newServer() throws SaslException {
        CallbackHandler handler = callbacks -> {
            String user = null;
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    user = n.getDefaultName();
                } else if (c instanceof PasswordCallback p) {
                    String known = user == null ? null : users.get(user);
                    if (known != null) {
                        p.setPassword(known.toCharArray());
                    }
                    // An unknown user gets no password, and DIGEST-MD5 then fails the exchange.
                } else if (c instanceof RealmCallback r) {
                    r.setText(r.getDefaultText());
                } else if (c instanceof AuthorizeCallback a) {
                    // A user may act only as itself.
                    a.setAuthorized(a.getAuthenticationID().equals(a.getAuthorizationID()));
                    if (a.isAuthorized()) {
                        a.setAuthorizedID(a.getAuthorizationID());
                    }
                } else {
                    throw new UnsupportedCallbackException(c);
                }
            }
        };
        SaslServer server = Sasl.createSaslServer(MECHANISM, PROTOCOL, SERVER_NAME, PROPERTIES, handler);
        if (server == null) {
            throw new SaslException("this JVM offers no " + MECHANISM + " server");
        }
        return server;
    }
}
