package io.paddock.server.sasl;

import java.util.Map;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * Creates the JDK's DIGEST-MD5 SASL server checking passwords from a JAAS section's
 * {@code user_<name>} options. Apache ZooKeeper names the protocol {@code zookeeper} and the
 * server {@code zk-sasl-md5} for clients and for quorum members alike (its clients expect that
 * realm), so {@link #ZK_PROTOCOL} and {@link #ZK_SERVER_NAME} fit both uses.
 */
public final class DigestSasl {
    public static final String MECHANISM = "DIGEST-MD5";
    public static final String ZK_PROTOCOL = "zookeeper";
    public static final String ZK_SERVER_NAME = "zk-sasl-md5";

    private DigestSasl() {
    }

    /**
     * A server for one exchange. {@code superPassword} (may be null) is the password of the user
     * {@code super}; {@code names} turns the proven user into the authorization id.
     */
    public static SaslServer server(String protocol, String serverName, Map<String, String> users, String superPassword,
                                    PrincipalNames names) throws SaslException {
        SaslServer s = Sasl.createSaslServer(MECHANISM, protocol, serverName, null,
                new DigestCallbacks(users, superPassword, names));
        if (s == null) {
            throw new SaslException("this JVM offers no " + MECHANISM + " SASL server");
        }
        return s;
    }
}
