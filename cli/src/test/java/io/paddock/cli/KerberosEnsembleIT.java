package io.paddock.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.server.ensemble.Ensemble;
import io.paddock.server.testing.Kdc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * Kerberos everywhere, as real processes and a real KDC (Apache Kerby): three voters and an
 * observer that authenticate each other by Kerberos ({@code quorum.auth.*} with Krb5LoginModule
 * sections), and a client port that requires Kerberos SASL ({@code enforce.auth.schemes=sasl}).
 * Apache's Java client, Paddock's zkCli and kazoo log in as {@code bob}, through a follower and
 * the observer; a server holding another host's quorum key is refused while the rest serve; a
 * session outlives the leader's death.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KerberosEnsembleIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final int OBSERVER = 4;
    private static final String BOB = "bob@" + Kdc.REALM;
    // Mutable: Apache's client asks the list whether it holds null, which List.of answers with an exception.
    private static final List<ACL> BOB_ONLY = new ArrayList<>(List.of(new ACL(31, new Id("sasl", BOB))));

    @TempDir
    static Path dir;
    private static Kdc kdc;
    private static Path serverJaas;
    private static Path impostorJaas;
    private static Path clientJaas;
    private static Path bobKeytab;
    private static Configuration previousJaas;

    @BeforeAll
    static void realm() throws IOException {
        kdc = Kdc.start(dir);
        // Every server runs on 127.0.0.1: clients address it as localhost (their reverse lookup of
        // 127.0.0.1), and servers address each other by the host of their server.N lines.
        Path service = kdc.keytab("service.keytab", "zookeeper/localhost");
        Path quorum = kdc.keytab("quorum.keytab", "zkquorum/127.0.0.1");
        Path other = kdc.keytab("other-host.keytab", "zkquorum/127.0.0.2");
        bobKeytab = kdc.keytab("bob.keytab", "bob");
        serverJaas = dir.resolve("server-jaas.conf");
        Files.writeString(serverJaas, Kdc.jaasSection("Server", "zookeeper/localhost", service)
                + Kdc.jaasSection("QuorumServer", "zkquorum/127.0.0.1", quorum)
                + Kdc.jaasSection("QuorumLearner", "zkquorum/127.0.0.1", quorum));
        // A server whose keytab is another host's: a valid Kerberos identity, but not the one of the
        // server it claims to be.
        impostorJaas = dir.resolve("impostor-jaas.conf");
        Files.writeString(impostorJaas, Kdc.jaasSection("Server", "zookeeper/localhost", service)
                + Kdc.jaasSection("QuorumServer", "zkquorum/127.0.0.1", quorum)
                + Kdc.jaasSection("QuorumLearner", "zkquorum/127.0.0.2", other));
        clientJaas = dir.resolve("client-jaas.conf");
        Files.writeString(clientJaas, Kdc.jaasSection("Client", "bob", bobKeytab));

        // Apache's client in this JVM logs in with the JAAS Client section of the global configuration.
        kdc.useInThisJvm();
        previousJaas = Configuration.getConfiguration();
        Configuration.setConfiguration(Kdc.jaas(Map.of("Client", Kdc.keytabOptions(bobKeytab, "bob"))));
    }

    @AfterAll
    static void closeRealm() {
        Configuration.setConfiguration(previousJaas);
        if (kdc != null) {
            kdc.close();
        }
    }

    private static Ensemble kerberized() throws IOException {
        Map<String, String> common = new HashMap<>();
        common.put("quorum.auth.enableSasl", "true");
        common.put("quorum.auth.learnerRequireSasl", "true");
        common.put("quorum.auth.serverRequireSasl", "true");
        common.put("quorum.auth.kerberos.servicePrincipal", "zkquorum/_HOST");
        common.put("authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
        common.put("enforce.auth.enabled", "true");
        common.put("enforce.auth.schemes", "sasl");
        Ensemble.Launch plain = Ensemble.Launch.paddock();
        Ensemble.Launch launch = new Ensemble.Launch(plain.mainClass(), plain.classpath(),
                List.of(kdc.jvmOption(), "-Djava.security.auth.login.config=" + serverJaas));
        return new Ensemble(3, 1, common, launch);
    }

    /** Apache's client, logged in by Kerberos as bob. */
    private static ZooKeeper apache(String connect) throws IOException, InterruptedException {
        return SecuredClients.apache(connect, new ZKClientConfig());
    }

    @Test
    void clientsAndServersAuthenticateByKerberosAndAnImpostorServerIsRefused() throws Exception {
        try (Ensemble ens = kerberized()) {
            int leader = ens.awaitServing(ELECTION);
            int follower = leader == 1 ? 2 : 1;
            for (int i = 1; i <= 4; i++) {
                if (i != leader) {
                    assertTrue(ens.log(leader).contains("server " + i + " authenticated on our quorum port as SASL"
                            + " user zkquorum/127.0.0.1@" + Kdc.REALM), ens.tail(leader));
                }
            }

            // Apache's client, through a follower then the observer.
            try (ZooKeeper viaFollower = apache(ens.connectString(follower))) {
                viaFollower.create("/krb", "v1".getBytes(StandardCharsets.UTF_8), BOB_ONLY, CreateMode.PERSISTENT);
                assertEquals(new Id("sasl", BOB), viaFollower.getACL("/krb", null).get(0).getId());
            }
            try (ZooKeeper viaObserver = apache(ens.connectString(OBSERVER))) {
                viaObserver.sync("/krb", (rc, p, c) -> { }, null);
                await().until(() -> viaObserver.exists("/krb", false) != null);
                assertArrayEquals("v1".getBytes(StandardCharsets.UTF_8), viaObserver.getData("/krb", false, null));
            }

            // zkCli as an operator runs it: a JAAS file with a Kerberos Client section, and krb5.conf.
            String out = zkCli(ens.connectString(OBSERVER), "get", "/krb");
            assertTrue(out.contains("v1"), out);
            out = zkCli(ens.connectString(follower), "create", "/from-cli", "cli");
            assertTrue(out.contains("Created /from-cli"), out);

            // kazoo (pure-sasl's GSSAPI over the system's MIT Kerberos) through the observer.
            kazoo("localhost:" + ens.connectString(OBSERVER).split(":")[1]);

            // A client without SASL gets nothing.
            ZKClientConfig anonymous = new ZKClientConfig();
            anonymous.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
            try (ZooKeeper zk = new ZooKeeper(ens.connectString(follower), 20_000, e -> { }, anonymous)) {
                assertThrows(KeeperException.class, () -> zk.getData("/from-cli", false, null));
            }

            // A voter restarted with another host's quorum key is refused by the leader and does not
            // serve; the others keep taking writes; with its own key it joins again.
            int impostor = leader == 3 ? 2 : 3;
            ens.kill(impostor);
            ens.jvmOptions(impostor, List.of("-Djava.security.auth.login.config=" + impostorJaas));
            ens.start(impostor);
            await().atMost(ELECTION).until(() -> ens.log(leader).contains("Kerberos principal zkquorum/127.0.0.2@"
                    + Kdc.REALM + " refused"));
            try (ZooKeeper viaObserver = apache(ens.connectString(OBSERVER))) {
                viaObserver.setData("/krb", "v2".getBytes(StandardCharsets.UTF_8), -1);
            }
            assertNotEquals("leader", ens.mode(impostor));
            assertNotEquals("follower", ens.mode(impostor));
            ens.kill(impostor);
            ens.jvmOptions(impostor, List.of());
            ens.start(impostor);
            await().atMost(ELECTION).until(() -> "follower".equals(ens.mode(impostor)));

            // The fault: the leader dies; a session on the observer (its list names the follower too) lives on.
            try (ZooKeeper session = apache(ens.connectString(OBSERVER) + "," + ens.connectString(follower))) {
                long id = session.getSessionId();
                ens.kill(leader);
                int next = ens.awaitServing(ELECTION);
                assertNotEquals(leader, next);
                await().atMost(ELECTION).ignoreExceptions().until(() -> {
                    session.setData("/krb", "v3".getBytes(StandardCharsets.UTF_8), -1);
                    return true;
                });
                assertEquals(id, session.getSessionId(), "the same session");
            }
            try (ZooKeeper back = apache(ens.connectString(impostor))) {
                back.sync("/krb", (rc, p, c) -> { }, null);
                await().until(() -> "v3".equals(new String(back.getData("/krb", false, null), StandardCharsets.UTF_8)));
            }
        }
    }

    private static void kazoo(String hosts) throws Exception {
        // MIT Kerberos: this KDC, bob's keytab for initiating, and a ticket cache of the test's own.
        SecuredClients.kazoo(dir, List.of(
                "import sys",
                "from kazoo.client import KazooClient",
                "zk = KazooClient(hosts=sys.argv[1],",
                "                 sasl_options={'mechanism': 'GSSAPI', 'service': 'zookeeper', 'principal': '" + BOB + "'})",
                "zk.start(timeout=30)",
                "data, stat = zk.get('/krb')",
                "assert data == b'v1', data",
                "zk.create('/from-kazoo', b'py')",
                "zk.stop()",
                "print('KAZOO KERBEROS OK')"), "KAZOO KERBEROS OK", List.of(hosts),
                Map.of("KRB5_CONFIG", kdc.krb5Conf().toString(), "KRB5_CLIENT_KTNAME", bobKeytab.toString(),
                        "KRB5CCNAME", "FILE:" + dir.resolve("kazoo.ccache")), "kazoo, puresasl, kerberos");
    }

    private static String zkCli(String server, String... command) throws IOException, InterruptedException {
        return SecuredClients.zkCli(List.of(kdc.jvmOption(), "-Djava.security.auth.login.config=" + clientJaas),
                server, command);
    }
}
