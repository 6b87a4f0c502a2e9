package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ThrottleConfigTest {
    private static Properties base() {
        Properties p = new Properties();
        p.setProperty("dataDir", "/tmp/paddock-throttle-config");
        p.setProperty("clientPort", "2181");
        return p;
    }

    @Test
    void everyThrottleIsOffByDefaultWithApachesValues() {
        ServerConfig c = ServerConfig.parse(base(), "zoo.cfg");
        assertEquals(ThrottleConfig.OFF, c.throttle());
        assertFalse(c.throttle().connection().enabled());
        assertFalse(c.throttle().request().enabled());
        assertEquals(100 * 1024 * 1024, c.throttle().largeRequestMaxBytes());
        assertEquals(-1, c.throttle().largeRequestThreshold());
        assertTrue(c.warnings().stream().noneMatch(w -> w.contains("throttle")));
    }

    @Test
    void zooCfgKeysAreRead() {
        Properties p = base();
        p.setProperty("connection_throttle_tokens", "100");
        p.setProperty("connection_throttle_fill_time", "10");
        p.setProperty("connection_throttle_fill_count", "5");
        p.setProperty("connection_throttle_freeze_time", "50");
        p.setProperty("connection_throttle_drop_increase", "0.1");
        p.setProperty("request_throttle_max_requests", "50");
        p.setProperty("request_throttle_stall_time", "20");
        p.setProperty("request_throttle_drop_stale", "false");
        p.setProperty("largeRequestMaxBytes", "2048");
        p.setProperty("largeRequestThreshold", "1024");
        ServerConfig c = ServerConfig.parse(p, "zoo.cfg");
        ThrottleConfig t = c.throttle();
        assertEquals(new ThrottleConfig.Connection(100, 10, 5, 50, 0.1, 0.002, 0, 1, 1, 1), t.connection());
        assertEquals(new ThrottleConfig.Request(50, 20, false), t.request());
        assertEquals(2048, t.largeRequestMaxBytes());
        assertEquals(1024, t.largeRequestThreshold());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void weightsScaleTheBucketForGlobalSessionsAsApacheDoes() {
        Properties p = base();
        p.setProperty("connection_throttle_tokens", "10");
        p.setProperty("connection_throttle_fill_count", "2");
        p.setProperty("connection_throttle_weight_enabled", "true");
        ThrottleConfig.Connection c = ThrottleConfig.from(p, "zoo.cfg").connection();
        assertEquals(30, c.maxTokens());
        assertEquals(6, c.fillCount());
        assertEquals(3, c.globalWeight());
        assertEquals(1, c.localWeight());
        assertEquals(2, c.renewWeight());
    }

    @Test
    void theSystemPropertyIsReadWhenZooCfgIsSilent() {
        System.setProperty("zookeeper.connection_throttle_tokens", "7");
        try {
            assertEquals(7, ThrottleConfig.from(base(), "zoo.cfg").connection().maxTokens());
            Properties p = base();
            p.setProperty("connection_throttle_tokens", "9");
            assertEquals(9, ThrottleConfig.from(p, "zoo.cfg").connection().maxTokens(), "zoo.cfg wins");
        } finally {
            System.clearProperty("zookeeper.connection_throttle_tokens");
        }
    }

    @Test
    void aBadValueNamesTheKeyAndTheFile() {
        Properties p = base();
        p.setProperty("request_throttle_max_requests", "many");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(p, "/etc/zoo.cfg"));
        assertTrue(e.getMessage().contains("request_throttle_max_requests in /etc/zoo.cfg"), e.getMessage());

        Properties q = base();
        q.setProperty("largeRequestThreshold", "0");
        e = assertThrows(ConfigException.class, () -> ServerConfig.parse(q, "/etc/zoo.cfg"));
        assertTrue(e.getMessage().contains("largeRequestThreshold in /etc/zoo.cfg"), e.getMessage());

        Properties r = base();
        r.setProperty("connection_throttle_drop_increase", "2");
        e = assertThrows(ConfigException.class, () -> ServerConfig.parse(r, "/etc/zoo.cfg"));
        assertTrue(e.getMessage().contains("connection_throttle_drop_increase"), e.getMessage());
    }
}
