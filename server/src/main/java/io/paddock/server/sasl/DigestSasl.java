package io.paddock.server.sasl;

import static io.paddock.protocol.DigestMd5.MECHANISM;

import io.paddock.protocol.DigestMd5;
import java.util.Map;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * The JDK's DIGEST-MD5 SASL server and client, for the client port and the quorum alike (with
 * the names in {@link DigestMd5}: {@code zookeeper} / {@code zk-sasl-md5} for clients,
 * {@code zookeeper-quorum} / {@code zk-quorum-sasl-md5} between servers). Passwords come from a
 * JAAS section ({@link JaasSection}): a server's {@code user_<name>} options, a learner's
 * {@code username} / {@code password}.
 */
public final class DigestSasl {
    private DigestSasl() {
    }

    /**
     * A server for one exchange. {@code users}: name → password; {@code superPassword} (may be
     * null) replaces the password of the user {@code super}.
     */
    public static SaslServer server(String protocol, String serverName, Map<String, String> users, String superPassword,
                                    Authorizer authorizer) throws SaslException {
        SaslServer s = Sasl.createSaslServer(MECHANISM, protocol, serverName, null,
                new DigestCallbacks(users, superPassword, authorizer));
        if (s == null) {
            throw new SaslException("this JVM offers no " + MECHANISM + " SASL server");
        }
        return s;
    }

    /** A client for one exchange, logging in as {@code user} (a learner's side of the quorum handshake). */
    public static SaslClient client(String protocol, String serverName, String user, String password)
            throws SaslException {
        SaslClient c = Sasl.createSaslClient(new String[] {MECHANISM}, user, protocol, serverName, null,
                DigestMd5.credentials(user, password));
        if (c == null) {
            throw new SaslException("this JVM offers no " + MECHANISM + " SASL client");
        }
        return c;
    }
}
