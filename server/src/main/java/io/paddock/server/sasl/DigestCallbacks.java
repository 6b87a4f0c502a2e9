package io.paddock.server.sasl;

import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the JDK's DIGEST-MD5 server asks while it checks a client: the password of the user the
 * client names (from the JAAS section's {@code user_<name>} options), and whether the proven
 * user may act as the id it asked for (a {@link Authorizer} decides, and names the
 * id). An unknown user gets no password, so the mechanism fails the exchange. One instance per exchange: it remembers the name it was asked about.
 */
final class DigestCallbacks implements CallbackHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DigestCallbacks.class);

    private final Map<String, String> passwords;
    private final String superPassword;
    private final Authorizer authorizer;
    private String user;

    /** {@code superPassword}, when not null, is the password of the user named {@code super}. */
    DigestCallbacks(Map<String, String> passwords, String superPassword, Authorizer authorizer) {
        this.passwords = passwords;
        this.superPassword = superPassword;
        this.authorizer = authorizer;
    }

    @Override
    public void handle(Callback[] callbacks) {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback nc) {
                user = nc.getDefaultName();
                if (passwords.containsKey(user) || isSuper(user)) {
                    nc.setName(user);
                } else {
                    LOG.warn("SASL: user '{}' is not among the user_ options of the JAAS section", user);
                }
            } else if (c instanceof PasswordCallback pc) {
                String password = isSuper(user) ? superPassword : passwords.get(user);
                if (password != null) {
                    pc.setPassword(password.toCharArray());
                }
            } else if (c instanceof RealmCallback rc) {
                rc.setText(rc.getDefaultText());
            } else if (c instanceof AuthorizeCallback ac) {
                String id = authorizer.authorize(ac.getAuthenticationID(), ac.getAuthorizationID());
                ac.setAuthorized(id != null);
                if (id != null) {
                    ac.setAuthorizedID(id);
                }
            }
        }
    }

    private boolean isSuper(String name) {
        return superPassword != null && "super".equals(name);
    }
}
