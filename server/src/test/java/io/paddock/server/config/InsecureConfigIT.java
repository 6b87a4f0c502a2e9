package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real server process given a setting that asks for security Paddock lacks exits at start-up,
 * naming it; one given the client SASL settings Paddock implements starts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InsecureConfigIT {
    @Test
    void aZooCfgKeyAskingForTlsPaddockLacksStopsStartUp() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("ssl.quorum.crl", "true"))) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            String expected = "Paddock cannot start: ssl.quorum.crl=true in " + server.config().toAbsolutePath()
                    + " asks for TLS between servers in a way Paddock does not provide";
            assertTrue(server.output().contains(expected), server.output());
        }
    }

    @Test
    void sslQuorumWithoutAKeyStoreStopsStartUpNamingTheKey() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("sslQuorum", "true"))) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            assertTrue(server.output().contains("ssl.quorum.keyStore.location is not set in "
                    + server.config().toAbsolutePath() + ", but sslQuorum=true needs this server's key and certificate"),
                    server.output());
        }
    }

    @Test
    void aSystemPropertyAskingForTlsPaddockLacksStopsStartUp() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), "-Dzookeeper.ssl.crl=true")) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            assertTrue(server.output().contains("Paddock cannot start: system property zookeeper.ssl.crl=true asks for"
                    + " TLS for clients"), server.output());
        }
    }

    @Test
    void sessionRequireClientSaslAuthWithoutTheSaslProviderStopsStartUp() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), "-Dzookeeper.sessionRequireClientSASLAuth=true")) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            // Client SASL is implemented now: what stops it is that no provider offers the scheme.
            assertTrue(server.output().contains("Paddock cannot start: system property"
                    + " zookeeper.sessionRequireClientSASLAuth=true: no authentication provider offers the scheme 'sasl'"),
                    server.output());
        }
    }

    /** What kazoo's test harness writes into every server's config: the SASL provider, a JAAS file with users. */
    @Test
    void theSaslProviderAndAJaasFileAsKazooWritesThemStart() throws Exception {
        Path dir = TestServers.tempDir("paddock-jaas");
        try {
            Path jaas = dir.resolve("jaas.conf");
            Files.writeString(jaas, """
                    Server {
                        org.apache.zookeeper.server.auth.DigestLoginModule required
                        user_super="super_secret"
                        user_jaasuser="jaas_password";
                    };
                    Client {
                        org.apache.zookeeper.server.auth.DigestLoginModule required
                        username="jaasuser"
                        password="jaas_password";
                    };
                    """);
            try (ServerProcess server = ServerProcess.start(
                    Map.of("authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"),
                    "-Djava.security.auth.login.config=" + jaas)) {
                server.awaitServing();
            }
        } finally {
            TestServers.deleteTree(dir);
        }
    }

    /** As Apache's: a JAAS file that cannot be read stops start-up (a server meant to check passwords must not run). */
    @Test
    void aJaasFileThatCannotBeReadStopsStartUp() throws Exception {
        try (ServerProcess server = ServerProcess.start(
                Map.of("authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"),
                "-Djava.security.auth.login.config=/nonexistent/jaas.conf")) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            assertTrue(server.output().contains("cannot read the JAAS configuration '/nonexistent/jaas.conf'"),
                    server.output());
        }
    }
}
