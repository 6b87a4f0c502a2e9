package io.paddock.server.sasl;

import io.paddock.protocol.Kerberos;
import io.paddock.protocol.KerberosLogin;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.LoginException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * SASL GSSAPI exchanges for a server: accepting a client or a dialling server as this server's
 * service principal (the one its JAAS section logged in, {@code service/host@REALM}), and
 * dialling another server as this server's own principal.
 */
public final class KerberosSasl {
    private KerberosSasl() {
    }

    /** An exchange accepting for {@code login}'s principal; {@code authorizer} decides and names the id. */
    public static SaslServer server(KerberosLogin login, Authorizer authorizer) throws SaslException {
        return Kerberos.server(subject(login), login.parts(), (Callback[] callbacks) -> {
            for (Callback c : callbacks) {
                if (c instanceof AuthorizeCallback ac) {
                    String id = authorizer.authorize(ac.getAuthenticationID(), ac.getAuthorizationID());
                    ac.setAuthorized(id != null);
                    if (id != null) {
                        ac.setAuthorizedID(id);
                    }
                }
            }
        });
    }

    /** An exchange proving {@code login}'s principal to the server principal {@code server}. */
    public static SaslClient client(KerberosLogin login, Kerberos.Principal server) throws SaslException {
        return Kerberos.client(subject(login), server.inRealm(login.parts().realm()));
    }

    private static Subject subject(KerberosLogin login) throws SaslException {
        try {
            return login.subject();
        } catch (LoginException e) {
            throw new SaslException("Kerberos login of " + login.principal().getName() + " (JAAS section "
                    + login.section() + ") could not be renewed: " + e.getMessage(), e);
        }
    }
}
