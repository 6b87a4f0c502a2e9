package io.paddock.client.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server of each kind per test class, started on first use: starting a server per test
 * would dominate the suite's run time. Tests keep apart by working under their own root node.
 */
public final class ServerPool implements AutoCloseable, AfterAllCallback {
    private final Map<String, String> cfg;
    private final Map<String, TestServer> servers = new LinkedHashMap<>();

    public ServerPool(Map<String, String> cfg) {
        this.cfg = Map.copyOf(cfg);
    }

    public ServerPool() {
        this(Map.of());
    }

    public synchronized TestServer get(String kind) {
        return servers.computeIfAbsent(kind, k -> TestServers.start(k, cfg));
    }

    /** Registered with {@code @RegisterExtension}, the pool closes itself after the test class. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(TestServer::close);
        servers.clear();
    }
}
