package io.paddock.server.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.Id;
import io.paddock.protocol.Kerberos;
import io.paddock.protocol.KerberosLogin;
import io.paddock.server.config.ConfigException;
import io.paddock.server.testing.Kdc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.Configuration;
import javax.security.sasl.SaslClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerberos (GSSAPI) on the client port against a real KDC: the JAAS {@code Server} section logs in
 * at start-up, a client proves its principal, and the connection gains {@code sasl:<principal>}
 * named as Apache names it.
 */
class KerberosSaslTest {
    @TempDir
    static Path dir;
    static Kdc kdc;
    static Configuration previous;

    @BeforeAll
    static void realm() throws IOException {
        kdc = Kdc.start(dir);
        kdc.useInThisJvm();
        Path service = kdc.keytab("service.keytab", "zookeeper/localhost");
        Path bob = kdc.keytab("bob.keytab", "bob");
        Path user = kdc.keytab("user.keytab", "zookeeper");
        previous = Configuration.getConfiguration();
        Map<String, Map<String, String>> sections = Map.of(
                "Server", Kdc.keytabOptions(service, "zookeeper/localhost"),
                "Client", Kdc.keytabOptions(bob, "bob"),
                "NoHost", Kdc.keytabOptions(user, "zookeeper"),
                "Broken", Kdc.keytabOptions(dir.resolve("missing.keytab"), "bob"));
        Configuration.setConfiguration(Kdc.jaas(sections));
    }

    @AfterAll
    static void close() {
        Configuration.setConfiguration(previous);
        kdc.close();
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    /** Runs bob's side of the exchange against {@code exchange} until the server completes or refuses. */
    private static SaslExchange.Step authenticateBob(SaslExchange exchange) throws Exception {
        KerberosLogin bob = KerberosLogin.login("Client");
        SaslClient client = Kerberos.client(bob.subject(), Kerberos.Principal.parse("zookeeper/localhost@" + Kdc.REALM));
        SaslExchange.Step step = exchange.step(client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : null);
        for (int round = 0; step.err() == 0 && step.gained().isEmpty() && round < 10; round++) {
            step = exchange.step(client.evaluateChallenge(step.token() == null ? new byte[0] : step.token()));
        }
        return step;
    }

    @Test
    void aKerberosClientGainsItsPrincipalAndASuperUserSuperToo() throws Exception {
        ClientAuthConfig config = ClientAuthConfig.read(props("superUser", "bob@" + Kdc.REALM), "zoo.cfg", true);
        assertNotNull(config.kerberos());
        assertEquals("zookeeper/localhost@" + Kdc.REALM, config.kerberos().principal().getName());
        SaslExchange.Step done = authenticateBob(new SaslExchange(config, "test"));
        assertEquals(0, done.err());
        assertEquals(List.of(new Id("sasl", "bob@" + Kdc.REALM), new Id("super", "")), done.gained());
    }

    @Test
    void theRealmIsDroppedWhenAskedAsApacheDoes() throws Exception {
        ClientAuthConfig config = ClientAuthConfig.read(props("kerberos.removeRealmFromPrincipal", "true"), "zoo.cfg",
                true);
        assertEquals(List.of(new Id("sasl", "bob")), authenticateBob(new SaslExchange(config, "test")).gained());
    }

    @Test
    void aTokenThatIsNotKerberosIsRefused() {
        ClientAuthConfig config = ClientAuthConfig.read(props(), "zoo.cfg", true);
        SaslExchange.Step step = new SaslExchange(config, "test").step(new byte[] {1, 2, 3, 4});
        assertTrue(step.err() != 0, "refused");
        assertNull(step.token());
    }

    @Test
    void aServerPrincipalWithoutAHostOrALoginThatFailsStopsStartUp() {
        ConfigException noHost = assertThrows(ConfigException.class,
                () -> ClientAuthConfig.read(props("sasl.serverconfig", "NoHost"), "zoo.cfg", true));
        assertTrue(noHost.getMessage().contains("names no host"), noHost.getMessage());
        ConfigException broken = assertThrows(ConfigException.class,
                () -> ClientAuthConfig.read(props("sasl.serverconfig", "Broken"), "zoo.cfg", true));
        assertTrue(broken.getMessage().startsWith("Kerberos login with JAAS section 'Broken'"), broken.getMessage());
    }
}
