package io.paddock.client.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server of each kind per test class, started on first use: starting a server per test
 * would dominate the suite's run time. Tests keep apart by working under their own root node.
 */
public final class ServerPool implements AutoCloseable {
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

    @Override
    public synchronized void close() {
        servers.values().forEach(TestServer::close);
        servers.clear();
    }
}
