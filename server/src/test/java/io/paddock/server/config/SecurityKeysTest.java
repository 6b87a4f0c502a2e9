package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        "ssl.quorum.crl|true|TLS between servers in a way Paddock does not provide",
        "metricsProvider.httpsPort|7443|HTTPS on the metrics endpoint",
        "ssl.quorum.ocsp|true|TLS between servers in a way Paddock does not provide",
        "sslQuorumSomethingElse|true|TLS between servers in a way Paddock does not provide",
        "ssl.crl|true|TLS for clients",
        "ssl.ocsp|true|TLS for clients",
        "ssl.context.supplier.class|com.example.MyContext|TLS for clients",
        "ssl.clientHostnameVerification|true|TLS for clients",
        "authProvider.1|com.example.MyProvider|the authentication provider com.example.MyProvider",
        "authProvider.ensemble|org.apache.zookeeper.server.auth.EnsembleAuthenticationProvider|authentication provider",
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

    /** HTTPS on the admin server is implemented (io.paddock.server.admin.AdminHttps reads the stores). */
    @ParameterizedTest
    @CsvSource({"admin.forceHttps, true", "admin.portUnification, true", "admin.needClientAuth, true"})
    void theAdminHttpsKeysAreAcceptedQuietly(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(0, c.warnings().size(), c.warnings().toString());
    }

    @ParameterizedTest
    @CsvSource({"authProvider.1, ''"})
    void aProviderWithoutAClassIsAWarning(String key, String value) {
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).startsWith(key + "=" + value + " in zoo.cfg: "), c.warnings().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ssl.keyStore.location|/etc/zk/keystore.jks", "ssl.keyStore.password|secret", "ssl.keyStore.type|PKCS12",
        "ssl.keyStore.passwordPath|/etc/zk/pw", "ssl.trustStore.location|/etc/zk/truststore.p12",
        "ssl.trustStore.password|secret", "ssl.trustStore.passwordPath|/etc/zk/pw", "ssl.trustStore.type|PEM",
        "ssl.protocol|TLSv1.3", "ssl.enabledProtocols|TLSv1.3,TLSv1.2", "ssl.ciphersuites|TLS_AES_128_GCM_SHA256",
        "ssl.clientAuth|want", "ssl.hostnameVerification|false", "client.certReload|true", "client.secure|true",
        "secureClientPortAddress|127.0.0.1", "X509AuthenticationProvider.superUser|CN=admin",
    })
    void theClientTlsKeysPaddockImplementsAreAcceptedQuietly(String key, String value) {
        // Without secureClientPort or client.portUnification nothing listens with TLS, so no store is read.
        ServerConfig c = ServerConfig.parse(with(key, value), "zoo.cfg");
        assertEquals(0, c.warnings().size(), c.warnings().toString());
        assertFalse(c.clientTls().enabled());
    }

    @ParameterizedTest
    @CsvSource({"secureClientPort, 2281", "client.portUnification, true"})
    void aTlsListenerWithoutAKeyStoreRefusesToStartNamingTheKey(String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(with(key, value), "/etc/zoo.cfg"));
        assertTrue(e.getMessage().startsWith("ssl.keyStore.location is not set in /etc/zoo.cfg, but " + key),
                e.getMessage());
    }

    @Test
    void tlsKeysComeFromZooCfgOrElseTheZookeeperSystemProperty() {
        Properties p = with("secureClientPort", "2281");
        p.remove("clientPort");
        p.setProperty("ssl.keyStore.location", "/etc/zk/from-file.p12");
        System.setProperty("zookeeper.ssl.keyStore.location", "/etc/zk/from-property.jks");
        System.setProperty("zookeeper.ssl.clientAuth", "none");
        System.setProperty("zookeeper.client.portUnification", "true");
        try {
            ServerConfig c = ServerConfig.parse(p, "zoo.cfg");
            assertEquals("/etc/zk/from-file.p12", c.clientTls().ssl().keyStore().location().toString(), "zoo.cfg wins");
            assertEquals(io.paddock.server.tls.ClientAuth.NONE, c.clientTls().ssl().clientAuth());
            assertTrue(c.clientTls().portUnification());
            assertEquals(2281, c.clientTls().secureClientPort());
            assertEquals(-1, c.clientPort(), "only a secure port: no plaintext port");
        } finally {
            System.clearProperty("zookeeper.ssl.keyStore.location");
            System.clearProperty("zookeeper.ssl.clientAuth");
            System.clearProperty("zookeeper.client.portUnification");
        }
    }

    @Test
    void quorumSaslKeysAreReadAndEachRequirementNeedsTheOneBeforeIt() {
        Properties p = with("quorum.auth.enableSasl", "true");
        p.setProperty("quorum.auth.learnerRequireSasl", "true");
        p.setProperty("quorum.auth.serverRequireSasl", "yes");
        p.setProperty("quorum.auth.server.saslLoginContext", "PeersIn");
        QuorumAuth auth = ServerConfig.parse(p, "zoo.cfg").quorumAuth();
        assertEquals(new QuorumAuth(true, true, true, "QuorumLearner", "PeersIn", "zkquorum/localhost", null, false), auth);
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
    void sslQuorumNeedsAKeyStoreATrustStoreAndClientCertificates() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(with("sslQuorum", "true"),
                "/etc/zoo.cfg"));
        assertEquals("ssl.quorum.keyStore.location is not set in /etc/zoo.cfg, but sslQuorum=true needs this server's"
                + " key and certificate", e.getMessage());
        Properties p = with("sslQuorum", "true");
        p.setProperty("ssl.quorum.keyStore.location", "/nonexistent/quorum.p12");
        e = assertThrows(ConfigException.class, () -> ServerConfig.parse(p, "/etc/zoo.cfg"));
        assertTrue(e.getMessage().startsWith("ssl.quorum.trustStore.location is not set"), e.getMessage());
        p.setProperty("ssl.quorum.trustStore.location", "/nonexistent/ca.p12");
        p.setProperty("ssl.quorum.clientAuth", "want");
        e = assertThrows(ConfigException.class, () -> ServerConfig.parse(p, "/etc/zoo.cfg"));
        assertTrue(e.getMessage().startsWith("ssl.quorum.clientAuth=want in /etc/zoo.cfg would let a server in"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "authProvider.1, org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
        "authProvider.2, org.apache.zookeeper.server.auth.DigestAuthenticationProvider",
        "authProvider.ip, org.apache.zookeeper.server.auth.IPAuthenticationProvider",
        "authProvider.x509, org.apache.zookeeper.server.auth.X509AuthenticationProvider",
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
        System.setProperty("zookeeper.ssl.quorum.crl", "true");
        try {
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(with("tickTime", "2000"), "z"));
            assertTrue(e.getMessage().startsWith("system property zookeeper.ssl.quorum.crl=true asks for TLS between"
                    + " servers in a way Paddock does not provide"), e.getMessage());
            System.setProperty("zookeeper.ssl.quorum.crl", "false");
            assertEquals(0, ServerConfig.parse(with("tickTime", "2000"), "z").warnings().size());
        } finally {
            System.clearProperty("zookeeper.ssl.quorum.crl");
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

    @Test
    void anAuditLoggerClassPaddockCannotLoadStopsStartUpWhenTheAuditLogIsOn() {
        System.setProperty(QuotaAuditConfig.AUDIT_IMPL_PROPERTY, "com.example.KafkaAuditLogger");
        try {
            // Off, the class is never used (as in Apache).
            assertEquals(QuotaAuditConfig.OFF, ServerConfig.parse(with("tickTime", "2000"), "z").quotaAudit());
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ServerConfig.parse(with("audit.enable", "true"), "/etc/zoo.cfg"));
            assertTrue(e.getMessage().startsWith("system property zookeeper.audit.impl.class=com.example.KafkaAuditLogger"
                    + " names an audit logger Paddock cannot load"), e.getMessage());
            System.setProperty(QuotaAuditConfig.AUDIT_IMPL_PROPERTY, QuotaAuditConfig.SLF4J_AUDIT_LOGGER);
            assertTrue(ServerConfig.parse(with("audit.enable", "true"), "z").quotaAudit().auditEnabled());
        } finally {
            System.clearProperty(QuotaAuditConfig.AUDIT_IMPL_PROPERTY);
        }
    }
}
