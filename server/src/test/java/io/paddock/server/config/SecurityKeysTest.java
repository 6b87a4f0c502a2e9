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
        "quorum.auth.enableSasl|true|SASL authentication between servers",
        "quorum.auth.learnerRequireSasl|yes|SASL authentication between servers",
        "quorum.auth.serverRequireSasl|TRUE|SASL authentication between servers",
        "admin.forceHttps|true|HTTPS on the admin server",
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
        "quorum.auth.kerberos.servicePrincipal, zkquorum/localhost",
    })
    void offeringAProviderIsAWarning(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).startsWith(key + "=" + value + " in zoo.cfg: "), c.warnings().toString());
    }

    @Test
    void aSystemPropertyAskingForSecurityRefusesToo() {
        System.setProperty("zookeeper.sslQuorum", "true");
        try {
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(with("tickTime", "2000"), "z"));
            assertTrue(e.getMessage().startsWith("system property zookeeper.sslQuorum=true asks for TLS between servers"),
                    e.getMessage());
            System.setProperty("zookeeper.sslQuorum", "false");
            assertEquals(0, ServerConfig.parse(with("tickTime", "2000"), "z").warnings().size());
        } finally {
            System.clearProperty("zookeeper.sslQuorum");
        }
    }

    /** Quota enforcement and the audit log Paddock provides: accepted from zoo.cfg or the system property. */
    @ParameterizedTest
    @CsvSource({"enforceQuota, true", "audit.enable, true", "enforceQuota, false", "audit.enable, no"})
    void quotaAndAuditKeysAreAcceptedAndRead(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(0, c.warnings().size(), c.warnings().toString());
        boolean on = value.equals("true");
        assertEquals(on, key.equals("enforceQuota") ? c.quotaAudit().enforceQuota() : c.quotaAudit().auditEnabled());
    }

    @Test
    void quotaAndAuditSystemPropertiesAreRead() {
        System.setProperty("zookeeper.enforceQuota", "true");
        System.setProperty("zookeeper.audit.enable", "true");
        try {
            ServerConfig c = ServerConfig.parse(with("tickTime", "2000"), "z");
            assertEquals(new QuotaAuditConfig(true, true), c.quotaAudit());
        } finally {
            System.clearProperty("zookeeper.enforceQuota");
            System.clearProperty("zookeeper.audit.enable");
        }
    }

    @Test
    void aBadQuotaValueNamesTheKeyAndTheFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServerConfig.parse(with("enforceQuota", "sure"), "/etc/zoo.cfg"));
        assertEquals("invalid value 'sure' for enforceQuota in /etc/zoo.cfg: expected true or false", e.getMessage());
    }
}
