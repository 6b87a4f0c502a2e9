package io.paddock.server.testing;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * Starts servers in-process for tests. Both kinds take zoo.cfg keys; Apache's embedded server
 * honours tickTime, minSessionTimeout, maxSessionTimeout and maxClientCnxns (other behaviour
 * it reads from system properties, which are JVM-wide).
 */
public final class TestServers {
    private TestServers() {
    }

    /** Which backends a conformance run covers: -Dconformance.backends=apache,paddock (default both). */
    public static String[] backends() {
        return System.getProperty("conformance.backends", "paddock,apache").split(",");
    }

    public static TestServer start(String kind, Map<String, String> cfg) {
        return switch (kind) {
            case "paddock" -> paddock(cfg);
            case "apache" -> apache(cfg);
            default -> throw new IllegalArgumentException("unknown server kind " + kind);
        };
    }

    public static TestServer paddock(Map<String, String> cfg) {
        Path dir = tempDir("paddock-test");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("tickTime", "2000");
        all.put("dataDir", dir.toString());
        all.put("clientPort", "0");
        all.put("clientPortAddress", "127.0.0.1");
        all.put("4lw.commands.whitelist", "*");
        // Tests start many servers: a small log preallocation keeps them quick and light on disk.
        all.put("preAllocSize", "1024");
        all.putAll(cfg);
        Properties props = new Properties();
        props.putAll(all);
        PaddockServer server;
        try {
            server = PaddockServer.start(ServerConfig.parse(props, "test config"));
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        return new TestServer() {
            @Override
            public String kind() {
                return "paddock";
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
        };
    }

    public static TestServer apache(Map<String, String> cfg) {
        Path dir = tempDir("apache-zk-test");
        try {
            int tick = Integer.parseInt(cfg.getOrDefault("tickTime", "2000"));
            ZooKeeperServer zks = new ZooKeeperServer(dir.resolve("snap").toFile(), dir.resolve("log").toFile(), tick);
            if (cfg.containsKey("minSessionTimeout")) {
                zks.setMinSessionTimeout(Integer.parseInt(cfg.get("minSessionTimeout")));
            }
            if (cfg.containsKey("maxSessionTimeout")) {
                zks.setMaxSessionTimeout(Integer.parseInt(cfg.get("maxSessionTimeout")));
            }
            int maxCnxns = Integer.parseInt(cfg.getOrDefault("maxClientCnxns", "60"));
            ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), maxCnxns);
            factory.startup(zks);
            return new TestServer() {
                @Override
                public String kind() {
                    return "apache";
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
            };
        } catch (IOException | RuntimeException | LinkageError e) {
            deleteTree(dir);
            throw e instanceof IOException io ? new UncheckedIOException(io) : e instanceof RuntimeException re ? re
                    : new IllegalStateException(e);
        } catch (InterruptedException e) {
            deleteTree(dir);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Server 1 of a three-server ensemble whose peers never start: it stays looking, alive but not
     * serving. {@code dir} is its data directory (its myid is written there); {@code extra} adds keys.
     */
    public static ServerConfig lookingMember(Path dir, Map<String, String> extra) throws IOException {
        Files.writeString(dir.resolve("myid"), "1\n");
        List<Integer> ports = Clients.freePorts(6);
        Properties props = new Properties();
        props.setProperty("tickTime", "200");
        props.setProperty("initLimit", "10");
        props.setProperty("syncLimit", "5");
        props.setProperty("dataDir", dir.toString());
        props.setProperty("clientPort", "0");
        props.setProperty("clientPortAddress", "127.0.0.1");
        props.setProperty("preAllocSize", "1024");
        for (int i = 1; i <= 3; i++) {
            props.setProperty("server." + i, "127.0.0.1:" + ports.get(2 * i - 2) + ":" + ports.get(2 * i - 1));
        }
        props.putAll(extra);
        return ServerConfig.parse(props, "looking ensemble member");
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
     * closes, so a walk that leaves something behind is repeated (bounded) until the tree is gone.
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
