package io.paddock.client;

import io.paddock.protocol.DigestMd5;
import io.paddock.protocol.Kerberos;
import io.paddock.protocol.KerberosLogin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * A SASL login for every connection, as Apache ZooKeeper's client does it: DIGEST-MD5 with a
 * user and password (protocol {@code zookeeper}, server {@code zk-sasl-md5}), or Kerberos
 * (GSSAPI) as a principal logged in through the JDK's Krb5LoginModule. By default it comes from
 * the JVM's JAAS configuration ({@code -Djava.security.auth.login.config}), section
 * {@code Client} (or the one named by {@code zookeeper.sasl.clientconfig}): options
 * {@code username} and {@code password} mean DIGEST-MD5 (the login module named there is not
 * loaded); a section without them is logged in with, and must give a Kerberos principal.
 * {@code -Dzookeeper.sasl.client=false} turns this off.
 */
sealed interface SaslLogin {
    String ENABLED_PROPERTY = "zookeeper.sasl.client";
    String SECTION_PROPERTY = "zookeeper.sasl.clientconfig";

    /** A client for one exchange with the server at {@code server}. */
    SaslClient newClient(InetSocketAddress server) throws SaslException;

    /** Who logs in, for messages. */
    String who();

    /** DIGEST-MD5 as {@code username} with {@code password}. */
    record Digest(String username, String password) implements SaslLogin {
        @Override
        public SaslClient newClient(InetSocketAddress server) throws SaslException {
            SaslClient client = Sasl.createSaslClient(new String[] {DigestMd5.MECHANISM}, username,
                    DigestMd5.CLIENT_PROTOCOL, DigestMd5.CLIENT_SERVER_NAME, null,
                    DigestMd5.credentials(username, password));
            if (client == null) {
                throw new SaslException("this JVM offers no DIGEST-MD5 SASL client");
            }
            return client;
        }

        @Override
        public String who() {
            return username;
        }

        @Override
        public String toString() {
            return "SaslLogin.Digest[" + username + "]";
        }
    }

    /**
     * Kerberos as {@code login}'s principal. The server's principal is, as in Apache's client,
     * {@code zookeeper.server.principal} when set, else {@code <zookeeper.sasl.client.username,
     * default zookeeper>/<host>}, where the host is the address's canonical name unless
     * {@code zookeeper.sasl.client.canonicalize.hostname=false} (and never a bare IP literal
     * from a failed reverse lookup), in the realm {@code zookeeper.server.realm} or else the
     * client's own.
     */
    record KerberosClient(KerberosLogin login, ServerPrincipals principals) implements SaslLogin {
        @Override
        public SaslClient newClient(InetSocketAddress server) throws SaslException {
            Kerberos.Principal service = Kerberos.Principal.parse(principals.forServer(server))
                    .inRealm(principals.realm() != null ? principals.realm() : login.parts().realm());
            try {
                return Kerberos.client(login.subject(), service);
            } catch (LoginException e) {
                throw new SaslException("renewing the Kerberos login of " + who() + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public String who() {
            return login.principal().getName();
        }
    }

    /** How a server's principal is named; each field is the Apache client property in its comment. */
    record ServerPrincipals(String configured, String serviceUser, boolean canonicalize, boolean reverseDns,
                            String realm) {
        /** From the system properties, with Apache's defaults. */
        static ServerPrincipals fromSystem() {
            return new ServerPrincipals(System.getProperty("zookeeper.server.principal"),
                    System.getProperty("zookeeper.sasl.client.username", "zookeeper"),
                    Boolean.parseBoolean(System.getProperty("zookeeper.sasl.client.canonicalize.hostname", "true")),
                    Boolean.getBoolean("zookeeper.sasl.client.allowReverseDnsLookup"),
                    System.getProperty("zookeeper.server.realm"));
        }

        /** The principal name (realm optional) of the server at {@code address}. */
        String forServer(InetSocketAddress address) {
            if (configured != null && !configured.isEmpty()) {
                return configured;
            }
            String host = reverseDns ? address.getHostName() : address.getHostString();
            InetAddress ip = address.getAddress();
            if (canonicalize && ip != null) {
                String canonical = ip.getCanonicalHostName();
                if (!canonical.equals(ip.getHostAddress())) {
                    host = canonical;
                }
            }
            return serviceUser + "/" + host;
        }
    }

    /**
     * The login the JAAS configuration asks for, or null when there is none (no JAAS section, or
     * SASL turned off). A section named explicitly but missing, or one that gives neither a
     * username and password nor a Kerberos login, is an IllegalStateException.
     */
    static SaslLogin fromJaas() {
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
            return null;
        }
        String explicit = System.getProperty(SECTION_PROPERTY);
        String section = explicit != null ? explicit : "Client";
        AppConfigurationEntry[] entries;
        try {
            entries = Configuration.getConfiguration().getAppConfigurationEntry(section);
        } catch (SecurityException | IllegalArgumentException e) {
            if (explicit != null || System.getProperty("java.security.auth.login.config") != null) {
                throw new IllegalStateException("cannot read the JAAS configuration for section '" + section + "': "
                        + e.getMessage(), e);
            }
            return null;
        }
        if (entries == null || entries.length == 0) {
            if (explicit != null) {
                throw new IllegalStateException("the JAAS configuration has no section '" + section + "' ("
                        + SECTION_PROPERTY + ")");
            }
            return null;
        }
        for (AppConfigurationEntry e : entries) {
            Object user = e.getOptions().get("username");
            Object password = e.getOptions().get("password");
            if (user != null && password != null) {
                return new Digest(user.toString(), password.toString());
            }
        }
        try {
            return new KerberosClient(KerberosLogin.login(section), ServerPrincipals.fromSystem());
        } catch (LoginException | RuntimeException e) {
            throw new IllegalStateException("JAAS section '" + section + "' has no username and password options,"
                    + " and a Kerberos login with it failed: " + e.getMessage(), e);
        }
    }
}
