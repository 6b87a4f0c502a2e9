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
        "quorum.auth.enableSasl|true|SASL authentication between servers",
        "quorum.auth.learnerRequireSasl|yes|SASL authentication between servers",
        "quorum.auth.serverRequireSasl|TRUE|SASL authentication between servers",
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
        "authProvider.x509, org.apache.zookeeper.server.auth.X509AuthenticationProvider",
        "quorum.auth.kerberos.servicePrincipal, zkquorum/localhost",
    })
    void offeringAProviderIsAWarning(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).startsWith(key + "=" + value + " in zoo.cfg: "), c.warnings().toString());
    }

    @ParameterizedTest
    @CsvSource({
        "authProvider.1, org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
        "authProvider.2, org.apache.zookeeper.server.auth.DigestAuthenticationProvider",
        "authProvider.ip, org.apache.zookeeper.server.auth.IPAuthenticationProvider",
        "enforce.auth.schemes, sasl",
    })
    void anImplementedProviderOrSettingIsAcceptedQuietly(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(0, c.warnings().size(), c.warnings().toString());
    }

    @Test
    void enforcedAuthenticationIsImplemented() {
        Properties p = with("enforce.auth.enabled", "true");
        p.setProperty("enforce.auth.schemes", "digest, sasl");
        p.setProperty("authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
        ServerConfig c = ServerConfig.parse(p, "zoo.cfg");
        assertEquals(java.util.Set.of("digest", "sasl"), c.clientAuth().enforcedSchemes());
        assertEquals(0, c.warnings().size(), c.warnings().toString());

        ServerConfig old = ServerConfig.parse(p, "zoo.cfg");
        p.setProperty("sessionRequireClientSASLAuth", "true");
        assertEquals(java.util.Set.of("sasl"), ServerConfig.parse(p, "zoo.cfg").clientAuth().enforcedSchemes());
        assertTrue(old.clientAuth().enforced());
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
