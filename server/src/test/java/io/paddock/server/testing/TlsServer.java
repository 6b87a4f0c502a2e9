package io.paddock.server.testing;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A Paddock server in this JVM with TLS stores set up from {@link TlsCerts}: its key store holds
 * {@code cert}, its trust store {@code ca}'s certificate. The plaintext port is free and on
 * 127.0.0.1; {@code extra} adds keys (for example {@code secureClientPort=0}), and a null value
 * removes one of the defaults.
 */
public final class TlsServer implements AutoCloseable {
    private final Path dir;
    private final PaddockServer server;

    private TlsServer(Path dir, PaddockServer server) {
        this.dir = dir;
        this.server = server;
    }

    public static TlsServer start(TlsCerts ca, TlsCerts.Issued cert, TlsCerts.Format format, Map<String, String> extra) {
        Path dir = TestServers.tempDir("paddock-tls");
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "500");
        cfg.put("dataDir", dir.toString());
        cfg.put("clientPort", "0");
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("preAllocSize", "1024");
        cfg.put("4lw.commands.whitelist", "*");
        cfg.put("ssl.keyStore.location", cert.store(format).toString());
        cfg.put("ssl.keyStore.password", TlsCerts.PASSWORD);
        cfg.put("ssl.trustStore.location", ca.trustStore(format).toString());
        cfg.put("ssl.trustStore.password", TlsCerts.PASSWORD);
        cfg.putAll(extra);
        cfg.values().removeIf(v -> v == null);
        Properties props = new Properties();
        props.putAll(cfg);
        try {
            return new TlsServer(dir, PaddockServer.start(ServerConfig.parse(props, "TlsServer zoo.cfg")));
        } catch (RuntimeException e) {
            TestServers.deleteTree(dir);
            throw e;
        }
    }

    public PaddockServer server() {
        return server;
    }

    /** The plaintext (or unified) port, or -1. */
    public int port() {
        return server.clientPort();
    }

    /** The TLS-only port, or -1. */
    public int securePort() {
        return server.secureClientPort();
    }

    @Override
    public void close() {
        server.close();
        TestServers.deleteTree(dir);
    }
}
