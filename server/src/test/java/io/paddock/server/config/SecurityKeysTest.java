package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A setting that asks for security Paddock does not provide stops start-up; one that asks for nothing does not. */
class SecurityKeysTest {
    private static Properties with(String key, String value) {
        Properties p = new Properties();
        p.setProperty("dataDir", "/tmp/paddock-config-test");
        p.setProperty("clientPort", "2181");
        p.setProperty(key, value);
        return p;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sslQuorum|true|TLS between servers",
        "ssl.quorum.keyStore.location|/etc/zk/quorum.jks|TLS between servers",
        "ssl.keyStore.location|/etc/zk/keystore.jks|TLS for clients",
        "ssl.clientAuth|need|TLS for clients",
        "secureClientPort|2281|TLS for clients",
        "secureClientPortAddress|10.0.0.1|TLS for clients",
        "client.secure|true|TLS for clients",
        "client.portUnification|true|TLS for clients",
        "authProvider.1|com.example.MyProvider|the authentication provider com.example.MyProvider",
        "authProvider.ensemble|org.apache.zookeeper.server.auth.EnsembleAuthenticationProvider|authentication provider",
        "enforce.auth.enabled|true|authentication of every client",
        "enforce.auth.schemes|sasl|authentication of every client",
        "sessionRequireClientSASLAuth|true|SASL authentication of every client",
        "admin.forceHttps|true|HTTPS on the admin server",
        "audit.enable|true|an audit log",
        "enforceQuota|true|quota enforcement",
    })
    void aKeyAskingForSecurityRefusesToStartNamingKeyValueAndFile(String key, String value, String asks) {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(with(key, value), "/etc/zoo.cfg"));
        assertTrue(e.getMessage().startsWith(key + "=" + value + " in /etc/zoo.cfg asks for "), e.getMessage());
        assertTrue(e.getMessage().contains(asks), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sslQuorum|false", "client.secure|false", "quorum.auth.enableSasl|false", "quorum.auth.serverRequireSasl|no",
        "enforce.auth.enabled|false", "sessionRequireClientSASLAuth|false", "admin.forceHttps|false",
        "audit.enable|false", "secureClientPort|''", "ssl.quorum.hostnameVerification|false",
    })
    void falseOrEmptyAsksForNothingAndIsAcceptedQuietly(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(0, c.warnings().size(), c.warnings().toString());
    }

    @ParameterizedTest
    @CsvSource({
        "authProvider.1, org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
        "authProvider.2, org.apache.zookeeper.server.auth.DigestAuthenticationProvider",
        "authProvider.x509, org.apache.zookeeper.server.auth.X509AuthenticationProvider",
    })
    void offeringAProviderIsAWarning(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).startsWith(key + "=" + value + " in zoo.cfg: "), c.warnings().toString());
    }

    @Test
    void quorumSaslKeysAreReadAndEachRequirementNeedsTheOneBeforeIt() {
        Properties p = with("quorum.auth.enableSasl", "true");
        p.setProperty("quorum.auth.learnerRequireSasl", "true");
        p.setProperty("quorum.auth.serverRequireSasl", "yes");
        p.setProperty("quorum.auth.server.saslLoginContext", "PeersIn");
        QuorumAuth auth = ServerConfig.parse(p, "zoo.cfg").quorumAuth();
        assertEquals(new QuorumAuth(true, true, true, "QuorumLearner", "PeersIn"), auth);
        assertEquals(QuorumAuth.NONE, ServerConfig.parse(with("tickTime", "2000"), "zoo.cfg").quorumAuth());

        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerConfig.parse(with("quorum.auth.learnerRequireSasl", "true"), "/etc/zoo.cfg"));
        assertEquals("quorum.auth.enableSasl is false, so quorum.auth.learnerRequireSasl cannot be true"
                + " (in /etc/zoo.cfg)", e.getMessage());
        Properties q = with("quorum.auth.enableSasl", "true");
        q.setProperty("quorum.auth.serverRequireSasl", "true");
        e = assertThrows(ConfigException.class, () -> ServerConfig.parse(q, "/etc/zoo.cfg"));
        assertTrue(e.getMessage().startsWith("quorum.auth.learnerRequireSasl is false, so"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ServerConfig.parse(with("quorum.auth.enableSasl", "maybe"), "z"));
        assertTrue(e.getMessage().contains("quorum.auth.enableSasl"), e.getMessage());
    }

    @Test
    void aSystemPropertyAskingForSecurityRefusesToo() {
        System.setProperty("zookeeper.enforceQuota", "true");
        try {
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(with("tickTime", "2000"), "z"));
            assertTrue(e.getMessage().startsWith("system property zookeeper.enforceQuota=true asks for quota enforcement"),
                    e.getMessage());
            System.setProperty("zookeeper.enforceQuota", "false");
            assertEquals(0, ServerConfig.parse(with("tickTime", "2000"), "z").warnings().size());
        } finally {
            System.clearProperty("zookeeper.enforceQuota");
        }
    }
}
