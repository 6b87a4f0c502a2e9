package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin.* keys, their system-property fallbacks and Apache's defaults. */
@Timeout(10)
class AdminConfigTest {

    @Test
    void apacheDefaults() {
        AdminConfig c = AdminConfig.from(new Properties());
        assertTrue(c.enabled());
        assertEquals("0.0.0.0", c.address());
        assertEquals(8080, c.port());
        assertEquals("/commands", c.commandUrl());
        assertTrue(c.snapshotEnabled());
        assertEquals(300_000, c.rateLimiterIntervalMs());
    }

    @Test
    void httpsKeysFromZooCfgOrSystemPropertiesWithTheQuorumStores() {
        assertEquals(AdminHttps.PLAIN, AdminConfig.from(new Properties()).https());
        System.setProperty("zookeeper.admin.portUnification", "true");
        System.setProperty("zookeeper.ssl.quorum.keyStore.location", "/etc/zk/quorum.p12");
        System.setProperty("zookeeper.ssl.quorum.enabledProtocols", "TLSv1.3");
        try {
            Properties p = new Properties();
            AdminHttps https = AdminConfig.from(p).https();
            assertEquals(AdminHttps.Mode.UNIFIED, https.mode());
            assertEquals("ssl.quorum.keyStore.location", https.tls().keyStore().locationKey());
            assertEquals(java.util.List.of("TLSv1.3"), https.tls().enabledProtocols());
            assertEquals(io.paddock.server.tls.ClientAuth.NONE, https.tls().clientAuth());
            p.setProperty("admin.forceHttps", "true");
            p.setProperty("admin.needClientAuth", "true");
            p.setProperty("ssl.quorum.trustStore.location", "/etc/zk/ca.p12");
            https = AdminConfig.from(p).https();
            assertEquals(AdminHttps.Mode.HTTPS, https.mode(), "forceHttps wins over portUnification");
            assertEquals(io.paddock.server.tls.ClientAuth.NEED, https.tls().clientAuth());
            p.setProperty("admin.forceHttps", "yes");
            assertEquals(AdminHttps.Mode.HTTPS, AdminConfig.from(p).https().mode(), "yes as the security keys read it");
            p.setProperty("admin.forceHttps", "maybe");
            ConfigException e = assertThrows(ConfigException.class, () -> AdminConfig.from(p));
            assertEquals("admin.forceHttps must be true or false, not \"maybe\"", e.getMessage());
            p.setProperty("admin.enableServer", "false");
            assertEquals(AdminHttps.PLAIN, AdminConfig.from(p).https(), "a disabled admin server reads no TLS keys");
        } finally {
            System.clearProperty("zookeeper.admin.portUnification");
            System.clearProperty("zookeeper.ssl.quorum.keyStore.location");
            System.clearProperty("zookeeper.ssl.quorum.enabledProtocols");
        }
    }

    @Test
    void snapshotKeysFromZooCfgOrSystemProperties() {
        System.setProperty("zookeeper.admin.snapshot.enabled", "false");
        System.setProperty("zookeeper.admin.rateLimiterIntervalInMS", "1000");
        try {
            Properties p = new Properties();
            assertFalse(AdminConfig.from(p).snapshotEnabled());
            assertEquals(1000, AdminConfig.from(p).rateLimiterIntervalMs());
            p.setProperty("admin.snapshot.enabled", "true");
            p.setProperty("admin.rateLimiterIntervalInMS", "0");
            assertTrue(AdminConfig.from(p).snapshotEnabled());
            assertEquals(0, AdminConfig.from(p).rateLimiterIntervalMs());
        } finally {
            System.clearProperty("zookeeper.admin.snapshot.enabled");
            System.clearProperty("zookeeper.admin.rateLimiterIntervalInMS");
        }
        Properties bad = new Properties();
        bad.setProperty("admin.rateLimiterIntervalInMS", "5m");
        assertThrows(ConfigException.class, () -> AdminConfig.from(bad));
        bad.setProperty("admin.rateLimiterIntervalInMS", "-1");
        assertThrows(ConfigException.class, () -> AdminConfig.from(bad));
    }

    @Test
    void zooCfgKeysWinOverSystemProperties() {
        System.setProperty("zookeeper.admin.serverPort", "9999");
        System.setProperty("zookeeper.admin.commandURL", "/ops");
        try {
            Properties p = new Properties();
            assertEquals(9999, AdminConfig.from(p).port());
            assertEquals("/ops", AdminConfig.from(p).commandUrl());
            p.setProperty("admin.serverPort", "0");
            p.setProperty("admin.commandURL", "admin/");
            p.setProperty("admin.enableServer", "false");
            p.setProperty("admin.serverAddress", "127.0.0.1");
            AdminConfig c = AdminConfig.from(p);
            assertEquals(0, c.port());
            assertEquals("/admin", c.commandUrl());
            assertFalse(c.enabled());
            assertEquals("127.0.0.1", c.address());
        } finally {
            System.clearProperty("zookeeper.admin.serverPort");
            System.clearProperty("zookeeper.admin.commandURL");
        }
    }

    @Test
    void badPortIsAConfigError() {
        Properties p = new Properties();
        p.setProperty("admin.serverPort", "http");
        assertThrows(ConfigException.class, () -> AdminConfig.from(p));
        p.setProperty("admin.serverPort", "70000");
        assertThrows(ConfigException.class, () -> AdminConfig.from(p));
    }

    @Test
    void aConfigurationWithoutAFileHasNoAdminServer(@TempDir Path dir) throws IOException {
        assertEquals(AdminConfig.DISABLED, AdminConfig.forSource("test config"));
        assertEquals(AdminConfig.DISABLED, AdminConfig.forSource(dir.resolve("missing.cfg").toString()));
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "dataDir=/tmp/x\nadmin.serverPort = 8123\n");
        AdminConfig c = AdminConfig.forSource(cfg.toString());
        assertTrue(c.enabled());
        assertEquals(8123, c.port());
    }
}
