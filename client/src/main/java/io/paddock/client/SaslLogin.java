package io.paddock.client;

import io.paddock.protocol.DigestMd5;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * A SASL DIGEST-MD5 login for every connection, as Apache ZooKeeper's client does it: user
 * {@code username} with {@code password}, protocol {@code zookeeper}, server {@code zk-sasl-md5}.
 * By default the credentials come from the JVM's JAAS configuration
 * ({@code -Djava.security.auth.login.config}), section {@code Client} (or the one named by
 * {@code zookeeper.sasl.clientconfig}), options {@code username} and {@code password}; the login
 * module named there is not loaded. {@code -Dzookeeper.sasl.client=false} turns this off.
 */
record SaslLogin(String username, String password) {
    static final String ENABLED_PROPERTY = "zookeeper.sasl.client";
    static final String SECTION_PROPERTY = "zookeeper.sasl.clientconfig";

    /**
     * The login the JAAS configuration asks for, or null when there is none (no JAAS section, or
     * SASL turned off). A section named explicitly but missing, or one without a username and
     * password (Kerberos, which this client does not support), is an IllegalStateException.
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
                return new SaslLogin(user.toString(), password.toString());
            }
        }
        throw new IllegalStateException("JAAS section '" + section + "' has no username and password options;"
                + " this client supports SASL DIGEST-MD5 only (not Kerberos)");
    }

    /** A client for one exchange. */
    SaslClient newClient() throws SaslException {
        SaslClient client = Sasl.createSaslClient(new String[] {DigestMd5.MECHANISM}, username,
                DigestMd5.CLIENT_PROTOCOL, DigestMd5.CLIENT_SERVER_NAME, null, DigestMd5.credentials(username, password));
        if (client == null) {
            throw new SaslException("this JVM offers no DIGEST-MD5 SASL client");
        }
        return client;
    }

    @Override
    public String toString() {
        return "SaslLogin[" + username + "]";
    }
}
