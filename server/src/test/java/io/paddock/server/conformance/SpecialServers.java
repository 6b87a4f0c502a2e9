package io.paddock.server.conformance;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.util.HashMap;
import java.util.Map;

/**
 * Servers that need JVM-wide switches. Apache reads these from system properties, Paddock from its
 * configuration (or, for the super digest, a system property read at start).
 */
final class SpecialServers {
    static final String EXTENDED_TYPES_PROPERTY = "zookeeper.extendedTypesEnabled";
    static final String SUPER_DIGEST_PROPERTY = "zookeeper.DigestAuthenticationProvider.superDigest";

    private SpecialServers() {
    }

    /**
     * A server with TTL nodes enabled. Apache consults the property on every request, so it stays
     * set for the server's whole life and is restored when the server closes.
     */
    static TestServer withExtendedTypes(String kind, Map<String, String> cfg) {
        if (kind.equals("paddock")) {
            Map<String, String> all = new HashMap<>(cfg);
            all.put("extendedTypesEnabled", "true");
            return TestServers.start(kind, all);
        }
        String previous = System.setProperty(EXTENDED_TYPES_PROPERTY, "true");
        TestServer server;
        try {
            server = TestServers.start(kind, cfg);
        } catch (RuntimeException e) {
            restore(EXTENDED_TYPES_PROPERTY, previous);
            throw e;
        }
        return new TestServer() {
            @Override
            public String kind() {
                return server.kind();
            }

            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                try {
                    server.close();
                } finally {
                    restore(EXTENDED_TYPES_PROPERTY, previous);
                }
            }
        };
    }

    /**
     * A server whose super user is the given digest identity ("super:&lt;base64 sha1&gt;").
     * Apache caches the property in a static field the first time its digest provider class is
     * loaded, so an in-process Apache server could not pick it up reliably: Apache runs in a
     * child JVM started with the property instead.
     */
    static TestServer withSuperDigest(String kind, String superDigest) {
        if (kind.equals("apache")) {
            return ChildApacheServer.start(Map.of(SUPER_DIGEST_PROPERTY, superDigest), Map.of());
        }
        String previous = System.setProperty(SUPER_DIGEST_PROPERTY, superDigest);
        try {
            return TestServers.start(kind, Map.of());
        } finally {
            restore(SUPER_DIGEST_PROPERTY, previous);
        }
    }

    /**
     * A server that enforces quotas. Apache reads {@code zookeeper.enforceQuota} once, into a static
     * field, so Apache runs in a child JVM started with it.
     */
    static TestServer withEnforcedQuota(String kind) {
        if (kind.equals("apache")) {
            return ChildApacheServer.start(Map.of("zookeeper.enforceQuota", "true"), Map.of());
        }
        return TestServers.start(kind, Map.of("enforceQuota", "true"));
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }
}
