package io.paddock.client.testing;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * Starts a real Paddock or Apache ZooKeeper server in this JVM, on a free loopback port, with a
 * temporary data directory that {@link TestServer#close()} deletes. Both take zoo.cfg keys;
 * Apache's embedded server honours tickTime, minSessionTimeout and maxSessionTimeout.
 */
public final class TestServers {
    public static final String PADDOCK = "paddock";
    public static final String APACHE = "apache";

    private TestServers() {
    }

    /**
     * The zoo.cfg of ensemble member {@code id} run in this JVM: its data directory under
     * {@code dir} (created, with its myid), short ticks, and its client port on loopback. The
     * caller adds the {@code server.N} lines and anything else.
     */
    public static Properties memberConfig(Path dir, int id, int clientPort) throws java.io.IOException {
        Path data = dir.resolve("s" + id);
        java.nio.file.Files.createDirectories(data);
        java.nio.file.Files.writeString(data.resolve("myid"), Integer.toString(id));
        Properties p = new Properties();
        p.put("tickTime", "200");
        p.put("initLimit", "20");
        p.put("syncLimit", "10");
        p.put("dataDir", data.toString());
        p.put("clientPort", Integer.toString(clientPort));
        p.put("clientPortAddress", "127.0.0.1");
        return p;
    }

    public static TestServer start(String kind, Map<String, String> cfg) {
        return switch (kind) {
            case PADDOCK -> paddock(cfg);
            case APACHE -> apache(cfg);
            default -> throw new IllegalArgumentException("unknown server kind " + kind);
        };
    }

    public static TestServer paddock(Map<String, String> cfg) {
        Path dir = tempDir("paddock-client-test");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("tickTime", "2000");
        all.put("dataDir", dir.toString());
        all.put("clientPort", "0");
        all.put("clientPortAddress", "127.0.0.1");
        all.put("extendedTypesEnabled", "true");
        all.putAll(cfg);
        Properties props = new Properties();
        props.putAll(all);
        PaddockServer server;
        try {
            server = PaddockServer.start(ServerConfig.parse(props, "test"));
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        return new TestServer() {
            @Override
            public String kind() {
                return PADDOCK;
            }

            @Override
            public int port() {
                return server.clientPort();
            }

            @Override
            public void close() {
                server.close();
                deleteTree(dir);
            }

            @Override
            public String toString() {
                return "paddock:" + port();
            }
        };
    }

    public static TestServer apache(Map<String, String> cfg) {
        Path dir = tempDir("apache-client-test");
        try {
            int tick = Integer.parseInt(cfg.getOrDefault("tickTime", "2000"));
            ZooKeeperServer zks = new ZooKeeperServer(dir.resolve("snap").toFile(), dir.resolve("log").toFile(), tick);
            if (cfg.containsKey("minSessionTimeout")) {
                zks.setMinSessionTimeout(Integer.parseInt(cfg.get("minSessionTimeout")));
            }
            if (cfg.containsKey("maxSessionTimeout")) {
                zks.setMaxSessionTimeout(Integer.parseInt(cfg.get("maxSessionTimeout")));
            }
            ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 200);
            factory.startup(zks);
            return new TestServer() {
                @Override
                public String kind() {
                    return APACHE;
                }

                @Override
                public int port() {
                    return factory.getLocalPort();
                }

                @Override
                public void close() {
                    factory.shutdown();
                    zks.shutdown(true);
                    deleteTree(dir);
                }

                @Override
                public String toString() {
                    return "apache:" + port();
                }
            };
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteTree(dir);
            throw new IllegalStateException(e);
        }
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a directory tree. A server's background threads may still be finishing a file as it
     * shuts down, so a walk that leaves something behind is repeated (bounded) until the tree is gone.
     */
    public static void deleteTree(Path dir) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(50)).ignoreExceptions()
                .alias("deleting " + dir).until(() -> {
                    if (Files.exists(dir)) {
                        try (Stream<Path> walk = Files.walk(dir)) {
                            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                        }
                    }
                    return !Files.exists(dir);
                });
    }
}
