package io.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * zkCli logs in by SASL when the JVM's JAAS configuration has a Client section, as Apache's
 * does. JAAS is global to the JVM, so one configuration (the server's Server section and the
 * shell's Client section) is installed before the server starts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkCliSaslTest {
    private static Configuration previous;
    private static CliServer server;

    @BeforeAll
    static void start() throws Exception {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                Map<String, String> options = switch (name) {
                    case "Server" -> Map.of("user_app", "app-secret");
                    case "Client" -> Map.of("username", "app", "password", "app-secret");
                    default -> null;
                };
                return options == null ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "org.apache.zookeeper.server.auth.DigestLoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        });
        server = new CliServer();
    }

    @AfterAll
    static void stop() {
        server.close();
        Configuration.setConfiguration(previous);
    }

    @Test
    void theShellLogsInWithTheClientSectionAndSaslAclsAdmitIt() {
        ZkCliCommandsTest.Result who = server.run("whoami");
        assertTrue(who.out().contains("sasl: app\n"), who.toString());

        assertEquals(0, server.run("create", "/app", "mine", "sasl:app:cdrwa").code());
        ZkCliCommandsTest.Result read = server.run("get", "/app");
        assertEquals("mine\n", read.out(), read.toString());

        System.setProperty("zookeeper.sasl.client", "false");
        try {
            ZkCliCommandsTest.Result anonymous = server.run("get", "/app");
            assertEquals("Insufficient permission : /app\n", anonymous.err(), anonymous.toString());
        } finally {
            System.clearProperty("zookeeper.sasl.client");
        }
    }
}
