package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    private static Properties base() {
        Properties p = new Properties();
        p.setProperty("dataDir", "/tmp/paddock-config-test");
        p.setProperty("clientPort", "2181");
        return p;
    }

    @Test
    void defaultsFollowApache() {
        ServerConfig c = ServerConfig.parse(base(), "zoo.cfg");
        assertEquals(3000, c.tickTimeMs());
        assertEquals(6000, c.minSessionTimeoutMs());
        assertEquals(60000, c.maxSessionTimeoutMs());
        assertEquals(60, c.maxClientCnxns());
        assertEquals(0xFFFFF, c.juteMaxBuffer());
        assertEquals(c.dataDir(), c.dataLogDir());
        assertTrue(c.fourLetterWordEnabled("srvr"));
        assertFalse(c.fourLetterWordEnabled("ruok"));
        assertFalse(c.extendedTypesEnabled());
        assertEquals(60_000, c.containerCheckIntervalMs());
        assertEquals(10_000, c.containerMaxPerMinute());
        assertEquals(0, c.maxCnxns());
        assertEquals(ServerConfig.DEFAULT_MAX_WATCHES, c.maxWatchesPerSession());
        assertEquals(ServerConfig.DEFAULT_MAX_QUEUED_BYTES, c.maxQueuedBytesPerConnection());
    }

    @Test
    void connectionAndWatchLimitsAreRead() {
        Properties p = base();
        p.setProperty("maxCnxns", "500");
        p.setProperty("paddock.maxWatchesPerSession", "20");
        p.setProperty("paddock.maxQueuedBytesPerConnection", "1000"); // raised to one largest reply
        ServerConfig c = ServerConfig.parse(p, "zoo.cfg");
        assertEquals(500, c.maxCnxns());
        assertEquals(20, c.maxWatchesPerSession());
        assertEquals(0xFFFFF + 1028L, c.maxQueuedBytesPerConnection());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
        p.setProperty("paddock.maxWatchesPerSession", "0");
        assertThrows(ConfigException.class, () -> ServerConfig.parse(p, "zoo.cfg"));
    }

    @Test
    void sessionTimeoutsDeriveFromTickTime() {
        Properties p = base();
        p.setProperty("tickTime", "2000");
        ServerConfig c = ServerConfig.parse(p, "zoo.cfg");
        assertEquals(4000, c.minSessionTimeoutMs());
        assertEquals(40000, c.maxSessionTimeoutMs());
    }

    @Test
    void badValueNamesKeyValueAndFile(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "dataDir=" + dir + "\nclientPort=2181\ntickTime=fast\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(cfg));
        assertTrue(e.getMessage().contains("tickTime"), e.getMessage());
        assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
        assertTrue(e.getMessage().contains(cfg.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void outOfRangePortIsRejected() {
        Properties p = base();
        p.setProperty("clientPort", "70000");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(p, "my.cfg"));
        assertTrue(e.getMessage().contains("clientPort") && e.getMessage().contains("70000")
                && e.getMessage().contains("my.cfg"), e.getMessage());
    }

    @Test
    void missingDataDirAndPortAreErrors() {
        Properties noDir = base();
        noDir.remove("dataDir");
        assertTrue(assertThrows(ConfigException.class, () -> ServerConfig.parse(noDir, "a.cfg"))
                .getMessage().contains("dataDir"));
        Properties noPort = base();
        noPort.remove("clientPort");
        assertTrue(assertThrows(ConfigException.class, () -> ServerConfig.parse(noPort, "a.cfg"))
                .getMessage().contains("clientPort"));
    }

    @Test
    void minAboveMaxSessionTimeoutIsAnError() {
        Properties p = base();
        p.setProperty("minSessionTimeout", "50000");
        p.setProperty("maxSessionTimeout", "40000");
        assertThrows(ConfigException.class, () -> ServerConfig.parse(p, "a.cfg"));
    }

    @Test
    void unknownAndLaterKeysAreWarningsNotFailures() {
        Properties p = base();
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("someTypo", "1");
        p.setProperty("clientPortListenBacklog", "50");
        p.setProperty("group.1", "1:2:3");
        ServerConfig c = ServerConfig.parse(p, "zoo.cfg");
        assertEquals(3, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("someTypo") && w.contains("unknown")));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("clientPortListenBacklog") && w.contains("not implemented")));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("group.1") && w.contains("majority quorums")));
    }

    @Test
    void whitelistStarAndList() {
        Properties p = base();
        p.setProperty("4lw.commands.whitelist", "*");
        assertEquals(ServerConfig.ALL_FOUR_LETTER_WORDS, ServerConfig.parse(p, "a").fourLetterWords());
        p.setProperty("4lw.commands.whitelist", "ruok, stat ,mntr");
        ServerConfig c = ServerConfig.parse(p, "a");
        assertTrue(c.fourLetterWordEnabled("ruok") && c.fourLetterWordEnabled("stat") && c.fourLetterWordEnabled("mntr"));
        assertFalse(c.fourLetterWordEnabled("srvr"));
    }

    @Test
    void badBooleanNamesKey() {
        Properties p = base();
        p.setProperty("extendedTypesEnabled", "perhaps");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.parse(p, "a.cfg"));
        assertTrue(e.getMessage().contains("extendedTypesEnabled") && e.getMessage().contains("perhaps"));
    }
}
