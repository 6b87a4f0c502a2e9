package io.paddock.protocol;

import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * SASL GSSAPI (Kerberos v5) as ZooKeeper uses it on the client port and between servers: the
 * JDK's mechanism, run as the JAAS subject that holds the Kerberos credentials (a
 * {@link KerberosLogin}). The JDK looks for tickets and keys in the subject of the calling
 * context, so every step of an exchange, not only its creation, runs as that subject.
 */
public final class Kerberos {
    public static final String MECHANISM = "GSSAPI";

    private Kerberos() {
    }

    /**
     * A principal's parts: {@code service[/host][@REALM]}; host and realm may be null. For a user
     * ({@code alice@REALM}) the service part is the user name.
     */
    public record Principal(String service, String host, String realm) {
        /** Splits a principal name; an empty part is an IllegalArgumentException. */
        public static Principal parse(String name) {
            int at = name.lastIndexOf('@');
            String realm = at < 0 ? null : name.substring(at + 1);
            String rest = at < 0 ? name : name.substring(0, at);
            int slash = rest.indexOf('/');
            String service = slash < 0 ? rest : rest.substring(0, slash);
            String host = slash < 0 ? null : rest.substring(slash + 1);
            if (service.isEmpty() || (host != null && host.isEmpty()) || (realm != null && realm.isEmpty())
                    || (host != null && host.indexOf('/') >= 0)) {
                throw new IllegalArgumentException("'" + name + "' is not a Kerberos principal (service/host@REALM)");
            }
            return new Principal(service, host, realm);
        }

        /** The same principal in {@code realm} when it names none. */
        public Principal inRealm(String defaultRealm) {
            return realm != null ? this : new Principal(service, host, defaultRealm);
        }

        /**
         * A server principal pattern with its host given: Apache's {@code service/_HOST} becomes
         * {@code service/<host in lower case>}; any other name is kept.
         */
        public static String forHost(String pattern, String host) {
            Principal p = parse(pattern);
            if (!"_HOST".equals(p.host())) {
                return pattern;
            }
            return p.service() + "/" + host.toLowerCase(Locale.ROOT) + (p.realm() == null ? "" : "@" + p.realm());
        }

        @Override
        public String toString() {
            return service + (host == null ? "" : "/" + host) + (realm == null ? "" : "@" + realm);
        }
    }

    /**
     * A client authenticating as {@code subject}'s principal to {@code server} (which must name a
     * host: GSSAPI addresses a service on a host).
     */
    public static SaslClient client(Subject subject, Principal server) throws SaslException {
        if (server.host() == null) {
            throw new SaslException("server principal " + server + " names no host (service/host@REALM)");
        }
        SaslClient client = as(subject, () -> Sasl.createSaslClient(new String[] {MECHANISM}, null, server.service(),
                server.host(), Map.of(), callbacks -> { }));
        if (client == null) {
            throw new SaslException("this JVM offers no " + MECHANISM + " SASL client");
        }
        return new SubjectClient(subject, client);
    }

    /**
     * A server accepting for {@code subject}'s service principal ({@code service/host@REALM});
     * {@code callbacks} answers the mechanism's AuthorizeCallback.
     */
    public static SaslServer server(Subject subject, Principal self, CallbackHandler callbacks) throws SaslException {
        if (self.host() == null) {
            throw new SaslException("service principal " + self + " names no host (service/host@REALM)");
        }
        SaslServer server = as(subject, () -> Sasl.createSaslServer(MECHANISM, self.service(), self.host(), Map.of(),
                callbacks));
        if (server == null) {
            throw new SaslException("this JVM offers no " + MECHANISM + " SASL server");
        }
        return new SubjectServer(subject, server);
    }

    @SuppressWarnings("removal") // Subject.callAs needs Java 18; the project builds for 17.
    private static <T> T as(Subject subject, PrivilegedExceptionAction<T> action) throws SaslException {
        try {
            return Subject.doAs(subject, action);
        } catch (PrivilegedActionException e) {
            if (e.getException() instanceof SaslException s) {
                throw s;
            }
            throw new SaslException(e.getException().getMessage(), e.getException());
        }
    }

    /** A SASL client whose steps run as the subject. */
    private record SubjectClient(Subject subject, SaslClient client) implements SaslClient {
        @Override
        public String getMechanismName() {
            return client.getMechanismName();
        }

        @Override
        public boolean hasInitialResponse() {
            return client.hasInitialResponse();
        }

        @Override
        public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
            return as(subject, () -> client.evaluateChallenge(challenge));
        }

        @Override
        public boolean isComplete() {
            return client.isComplete();
        }

        @Override
        public byte[] unwrap(byte[] incoming, int offset, int len) throws SaslException {
            return client.unwrap(incoming, offset, len);
        }

        @Override
        public byte[] wrap(byte[] outgoing, int offset, int len) throws SaslException {
            return client.wrap(outgoing, offset, len);
        }

        @Override
        public Object getNegotiatedProperty(String propName) {
            return client.getNegotiatedProperty(propName);
        }

        @Override
        public void dispose() throws SaslException {
            client.dispose();
        }
    }

    /** A SASL server whose steps run as the subject. */
    private record SubjectServer(Subject subject, SaslServer server) implements SaslServer {
        @Override
        public String getMechanismName() {
            return server.getMechanismName();
        }

        @Override
        public byte[] evaluateResponse(byte[] response) throws SaslException {
            return as(subject, () -> server.evaluateResponse(response));
        }

        @Override
        public boolean isComplete() {
            return server.isComplete();
        }

        @Override
        public String getAuthorizationID() {
            return server.getAuthorizationID();
        }

        @Override
        public byte[] unwrap(byte[] incoming, int offset, int len) throws SaslException {
            return server.unwrap(incoming, offset, len);
        }

        @Override
        public byte[] wrap(byte[] outgoing, int offset, int len) throws SaslException {
            return server.wrap(outgoing, offset, len);
        }

        @Override
        public Object getNegotiatedProperty(String propName) {
            return server.getNegotiatedProperty(propName);
        }

        @Override
        public void dispose() throws SaslException {
            server.dispose();
        }
    }
}
