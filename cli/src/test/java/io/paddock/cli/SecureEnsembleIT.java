package io.paddock.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.server.ensemble.Ensemble;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.TlsCerts;
import io.paddock.server.testing.TlsCerts.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything secured at once, as real processes: three voters and an observer with mutual TLS and
 * SASL between them, a TLS-only client port each (secureClientPort), client SASL required
 * ({@code enforce.auth.schemes=sasl}), and keystores that keytool makes here. Apache's Java client,
 * kazoo and zkCli each connect over TLS and log in by SASL, through a follower and the observer,
 * and a session outlives the leader's death.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SecureEnsembleIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final int OBSERVER = 4;
    // Mutable: Apache's client asks the list whether it holds null, which List.of answers with an exception.
    private static final List<ACL> BOB_ONLY = new ArrayList<>(List.of(new ACL(31, new Id("sasl", "bob"))));

    @TempDir
    static Path dir;
    private static TlsCerts ca;
    private static TlsCerts.Issued client;
    private static Path serverJaas;
    private static Path clientJaas;
    private static Configuration previousJaas;
    private static final Map<Integer, Integer> securePorts = new HashMap<>();

    @BeforeAll
    static void secrets() throws IOException {
        ca = TlsCerts.authority(dir, "ensemble-ca");
        for (int i = 1; i <= 4; i++) {
            ca.issue("server" + i, "CN=server" + i + ",O=Paddock Test");
        }
        client = ca.issue("bob", "CN=bob,O=Paddock Test");
        serverJaas = dir.resolve("server-jaas.conf");
        Files.writeString(serverJaas, """
                Server {
                  org.apache.zookeeper.server.auth.DigestLoginModule required
                  user_bob="bob-password";
                };
                QuorumServer {
                  org.apache.zookeeper.server.auth.DigestLoginModule required
                  user_quorum="quorum-password";
                };
                QuorumLearner {
                  org.apache.zookeeper.server.auth.DigestLoginModule required
                  username="quorum"
                  password="quorum-password";
                };
                """);
        clientJaas = dir.resolve("client-jaas.conf");
        Files.writeString(clientJaas, """
                Client {
                  org.apache.zookeeper.server.auth.DigestLoginModule required
                  username="bob"
                  password="bob-password";
                };
                """);
        // Apache's client in this JVM reads its JAAS Client section from the global configuration.
        previousJaas = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return !name.equals("Client") ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "org.apache.zookeeper.server.auth.DigestLoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("username", "bob", "password", "bob-password"))};
            }
        });
        List<Integer> ports = Clients.freePorts(4);
        for (int i = 1; i <= 4; i++) {
            securePorts.put(i, ports.get(i - 1));
        }
    }

    @AfterAll
    static void restoreJaas() {
        Configuration.setConfiguration(previousJaas);
    }

    private static Ensemble secured() throws IOException {
        Map<String, String> common = new HashMap<>();
        common.put("sslQuorum", "true");
        common.put("ssl.quorum.trustStore.location", ca.trustStore(Format.PKCS12).toString());
        common.put("ssl.quorum.trustStore.password", TlsCerts.PASSWORD);
        common.put("quorum.auth.enableSasl", "true");
        common.put("quorum.auth.learnerRequireSasl", "true");
        common.put("quorum.auth.serverRequireSasl", "true");
        common.put("secureClientPortAddress", "127.0.0.1");
        common.put("ssl.trustStore.location", ca.trustStore(Format.JKS).toString());
        common.put("ssl.trustStore.password", TlsCerts.PASSWORD);
        common.put("authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
        common.put("enforce.auth.enabled", "true");
        common.put("enforce.auth.schemes", "sasl");
        Ensemble.Launch plain = Ensemble.Launch.paddock();
        Ensemble.Launch launch = new Ensemble.Launch(plain.mainClass(), plain.classpath(),
                List.of("-Djava.security.auth.login.config=" + serverJaas));
        return new Ensemble(3, 1, common, launch, i -> Map.of(
                "ssl.quorum.keyStore.location", dir.resolve("server" + i + ".p12").toString(),
                "ssl.quorum.keyStore.password", TlsCerts.PASSWORD,
                "secureClientPort", Integer.toString(securePorts.get(i)),
                "ssl.keyStore.location", dir.resolve("server" + i + ".jks").toString(),
                "ssl.keyStore.password", TlsCerts.PASSWORD));
    }

    private static String secure(int... servers) {
        StringJoiner j = new StringJoiner(",");
        for (int i : servers) {
            j.add("127.0.0.1:" + securePorts.get(i));
        }
        return j.toString();
    }

    /** Apache's client settings for TLS (Netty socket, bob's certificate), and SASL as bob when {@code sasl}. */
    private static ZKClientConfig overTls(boolean sasl) {
        ZKClientConfig c = new ZKClientConfig();
        c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        c.setProperty("zookeeper.ssl.keyStore.location", client.store(Format.JKS).toString());
        c.setProperty("zookeeper.ssl.keyStore.password", TlsCerts.PASSWORD);
        c.setProperty("zookeeper.ssl.trustStore.location", ca.trustStore(Format.JKS).toString());
        c.setProperty("zookeeper.ssl.trustStore.password", TlsCerts.PASSWORD);
        // Apache's 3.9 client refuses DIGEST-MD5 in FIPS mode, which is on by default.
        c.setProperty("zookeeper.fips-mode", "false");
        c.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, Boolean.toString(sasl));
        return c;
    }

    /** Apache's client over TLS, logged in by SASL as bob. */
    private static ZooKeeper apache(String connect) throws IOException, InterruptedException {
        return SecuredClients.apache(connect, overTls(true));
    }

    @Test
    void apachesClientKazooAndZkCliConnectOverTlsAndSaslAndASessionOutlivesTheLeader() throws Exception {
        try (Ensemble ens = secured()) {
            int leader = ens.awaitServing(ELECTION);
            int follower = leader == 1 ? 2 : 1;
            for (int i = 1; i <= 4; i++) {
                if (i != leader) {
                    assertTrue(ens.log(leader).contains("server " + i + " authenticated on our quorum port as SASL"
                            + " user quorum"), ens.tail(leader));
                }
            }

            // Apache's client, through a follower then the observer.
            try (ZooKeeper viaFollower = apache(secure(follower))) {
                viaFollower.create("/secure", "v1".getBytes(StandardCharsets.UTF_8), BOB_ONLY, CreateMode.PERSISTENT);
                assertEquals("sasl", viaFollower.getACL("/secure", null).get(0).getId().getScheme());
            }
            try (ZooKeeper viaObserver = apache(secure(OBSERVER))) {
                viaObserver.sync("/secure", (rc, p, c) -> { }, null);
                await().until(() -> viaObserver.exists("/secure", false) != null);
                assertArrayEquals("v1".getBytes(StandardCharsets.UTF_8), viaObserver.getData("/secure", false, null));
            }

            // kazoo (Debian's python3-kazoo with pure-sasl) over TLS, PEM files, SASL as bob.
            kazoo(secure(follower, OBSERVER));

            // zkCli as an operator runs it: Apache's client properties and a JAAS file in CLIENT_JVMFLAGS.
            String out = zkCli(secure(OBSERVER), "get", "/secure");
            assertTrue(out.contains("v1"), out);
            out = zkCli(secure(follower), "create", "/from-cli", "cli");
            assertTrue(out.contains("Created /from-cli"), out);

            // A client without SASL gets nothing, even over TLS.
            ZKClientConfig anonymous = overTls(false);
            try (ZooKeeper zk = new ZooKeeper(secure(follower), 20_000, e -> { }, anonymous)) {
                assertThrows(KeeperException.class, () -> zk.getData("/from-cli", false, null));
            }

            // The fault: the leader dies; a session on the observer (its list names every secure port) lives on.
            try (ZooKeeper session = apache(secure(OBSERVER, follower))) {
                long id = session.getSessionId();
                ens.kill(leader);
                int next = ens.awaitServing(ELECTION);
                assertNotEquals(leader, next);
                await().atMost(ELECTION).ignoreExceptions().until(() -> {
                    session.setData("/secure", "v2".getBytes(StandardCharsets.UTF_8), -1);
                    return true;
                });
                assertEquals(id, session.getSessionId(), "the same session");
            }
            ens.start(leader);
            ens.awaitServing(ELECTION);
            try (ZooKeeper back = apache(secure(leader))) {
                back.sync("/secure", (rc, p, c) -> { }, null);
                await().until(() -> "v2".equals(new String(back.getData("/secure", false, null), StandardCharsets.UTF_8)));
            }
        }
    }

    private static void kazoo(String hosts) throws Exception {
        SecuredClients.kazoo(dir, List.of(
                "import sys",
                "from kazoo.client import KazooClient",
                "zk = KazooClient(hosts=sys.argv[1], use_ssl=True, verify_certs=True, ca=sys.argv[2],",
                "                 certfile=sys.argv[3], keyfile=sys.argv[3],",
                "                 sasl_options={'mechanism': 'DIGEST-MD5', 'username': 'bob', 'password': 'bob-password'})",
                "zk.start(timeout=30)",
                "data, stat = zk.get('/secure')",
                "assert data == b'v1', data",
                "zk.create('/from-kazoo', b'py')",
                "zk.stop()",
                "print('KAZOO SECURE OK')"), "KAZOO SECURE OK",
                List.of(hosts, dir.resolve("ensemble-ca.pem").toString(), client.store(Format.PEM).toString()), Map.of(),
                "kazoo, puresasl");
    }

    private static String zkCli(String server, String... command) throws IOException, InterruptedException {
        return SecuredClients.zkCli(List.of("-Dzookeeper.client.secure=true",
                "-Dzookeeper.ssl.keyStore.location=" + client.store(Format.JKS),
                "-Dzookeeper.ssl.keyStore.password=" + TlsCerts.PASSWORD,
                "-Dzookeeper.ssl.trustStore.location=" + ca.trustStore(Format.JKS),
                "-Dzookeeper.ssl.trustStore.password=" + TlsCerts.PASSWORD,
                "-Djava.security.auth.login.config=" + clientJaas), server, command);
    }
}
