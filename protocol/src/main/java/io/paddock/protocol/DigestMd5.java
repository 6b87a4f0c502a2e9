package io.paddock.protocol;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.RealmCallback;

/**
 * SASL DIGEST-MD5 as ZooKeeper speaks it in sasl requests (op 102) and in the quorum handshake:
 * the protocol and server names (the server name is the digest realm) both sides must use, and
 * the answers a client gives the JDK's SASL client.
 */
public final class DigestMd5 {
    public static final String MECHANISM = "DIGEST-MD5";
    /** Protocol and server name between a client and the client port. */
    public static final String CLIENT_PROTOCOL = "zookeeper";
    public static final String CLIENT_SERVER_NAME = "zk-sasl-md5";
    /** Protocol and server name between a learner and the quorum port. */
    public static final String QUORUM_PROTOCOL = "zookeeper-quorum";
    public static final String QUORUM_SERVER_NAME = "zk-quorum-sasl-md5";

    private DigestMd5() {
    }

    /** A client's answers: its user name, its password, and the realm the server offers. */
    public static CallbackHandler credentials(String user, String password) {
        return (Callback[] callbacks) -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback nc) {
                    nc.setName(user);
                } else if (c instanceof PasswordCallback pc) {
                    pc.setPassword(password.toCharArray());
                } else if (c instanceof RealmCallback rc) {
                    rc.setText(rc.getDefaultText());
                }
            }
        };
    }
}
