package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.ServerProcess;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real server process given a setting that asks for security Paddock lacks exits at start-up, naming it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InsecureConfigIT {
    @Test
    void aZooCfgKeyAskingForTlsStopsStartUp() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("sslQuorum", "true"))) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            String expected = "Paddock cannot start: sslQuorum=true in " + server.config().toAbsolutePath()
                    + " asks for TLS between servers";
            assertTrue(server.output().contains(expected), server.output());
        }
    }

    @Test
    void aSystemPropertyAskingForClientSaslStopsStartUp() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(), "-Dzookeeper.sessionRequireClientSASLAuth=true")) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            assertTrue(server.output().contains("Paddock cannot start: system property"
                    + " zookeeper.sessionRequireClientSASLAuth=true asks for SASL authentication of every client"),
                    server.output());
        }
    }

    /** What kazoo's test harness writes into every server's config: a SASL provider offered, a JAAS file passed. */
    @Test
    void anOfferedSaslProviderAsKazooWritesItStillStarts() {
        try (ServerProcess server = ServerProcess.start(
                Map.of("authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"),
                "-Djava.security.auth.login.config=/nonexistent/jaas.conf")) {
            server.awaitServing();
            assertTrue(server.output().contains("authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider"),
                    server.output());
        }
    }
}
