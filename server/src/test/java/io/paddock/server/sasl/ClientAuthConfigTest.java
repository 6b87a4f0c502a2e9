package io.paddock.server.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.Id;
import io.paddock.server.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading the client authentication settings from zoo.cfg and the JAAS section. */
class ClientAuthConfigTest {
    private static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    private Configuration previous;

    @BeforeEach
    void jaas() {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                Map<String, String> options = switch (name) {
                    case "Server" -> Map.of("user_bob", "pw-bob", "user_admin", "pw-admin", "debug", "true");
                    case "QuorumLearner" -> Map.of("username", "learner", "password", "pw-l");
                    case "Kerberos" -> Map.of("keyTab", "/etc/zk.keytab");
                    default -> null;
                };
                String module = name.equals("Kerberos") ? "com.sun.security.auth.module.Krb5LoginModule"
                        : "org.apache.zookeeper.server.auth.DigestLoginModule";
                return options == null ? null : new AppConfigurationEntry[] {
                    new AppConfigurationEntry(module, AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        });
    }

    @AfterEach
    void restore() {
        Configuration.setConfiguration(previous);
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void theServerSectionsUsersAndTheSuperUsers() {
        ClientAuthConfig c = ClientAuthConfig.read(props("superUser", "admin", "superUser.2", "ops"), "zoo.cfg", true);
        assertTrue(c.saslEnabled());
        assertEquals(Map.of("bob", "pw-bob", "admin", "pw-admin"), c.users());
        assertEquals(Set.of("admin", "ops"), c.superUsers());
        assertFalse(c.enforced());
        assertTrue(c.admits(List.of()));
    }

    @Test
    void aLearnerSectionGivesItsUsernameAndPassword() {
        JaasSection learner = JaasSection.find("QuorumLearner").orElseThrow();
        assertEquals("learner", learner.option("username"));
        assertEquals("pw-l", learner.option("password"));
        assertTrue(JaasSection.find("QuorumServer").isEmpty());
    }

    @Test
    void aMissingSectionNamedExplicitlyOrAKerberosLoginThatFailsStopsStartUp() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ClientAuthConfig.read(props("sasl.serverconfig", "Nope"), "/etc/zoo.cfg", true));
        assertTrue(missing.getMessage().startsWith("sasl.serverconfig=Nope in /etc/zoo.cfg: "), missing.getMessage());
        ConfigException kerberos = assertThrows(ConfigException.class,
                () -> ClientAuthConfig.read(props("sasl.serverconfig", "Kerberos"), "zoo.cfg", true));
        // The keytab does not exist: the login fails, and start-up stops naming the section.
        assertTrue(kerberos.getMessage().startsWith("Kerberos login with JAAS section 'Kerberos' of "),
                kerberos.getMessage());
    }

    @Test
    void enforcementNeedsSchemesThatAProviderOffers() {
        ClientAuthConfig c = ClientAuthConfig.read(props("enforce.auth.enabled", "true", "enforce.auth.schemes",
                " sasl , digest", "authProvider.1", SASL_PROVIDER), "zoo.cfg", true);
        assertEquals(Set.of("sasl", "digest"), c.enforcedSchemes());
        assertTrue(c.saslRequired());
        assertFalse(c.admits(List.of(new Id("ip", "127.0.0.1"))));
        assertTrue(c.admits(List.of(new Id("ip", "127.0.0.1"), new Id("digest", "dora:x"))));

        ConfigException none = assertThrows(ConfigException.class,
                () -> ClientAuthConfig.read(props("enforce.auth.enabled", "true"), "/etc/zoo.cfg", true));
        assertTrue(none.getMessage().startsWith("enforce.auth.enabled=true in /etc/zoo.cfg: "), none.getMessage());
        ConfigException noProvider = assertThrows(ConfigException.class, () -> ClientAuthConfig.read(
                props("enforce.auth.enabled", "true", "enforce.auth.schemes", "sasl"), "/etc/zoo.cfg", true));
        assertTrue(noProvider.getMessage().startsWith("enforce.auth.schemes=sasl in /etc/zoo.cfg: no authentication"
                + " provider offers the scheme 'sasl'"), noProvider.getMessage());
        assertThrows(ConfigException.class, () -> ClientAuthConfig.read(
                props("enforce.auth.enabled", "true", "enforce.auth.schemes", "digest"), "zoo.cfg", false));
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ClientAuthConfig.read(props("enforce.auth.enabled", "maybe"), "/etc/zoo.cfg", true));
        assertTrue(bad.getMessage().contains("enforce.auth.enabled=maybe in /etc/zoo.cfg"), bad.getMessage());
    }

    @Test
    void sessionRequireClientSaslAuthMeansSaslWhateverEnforceAuthSays() {
        ClientAuthConfig c = ClientAuthConfig.read(props("sessionRequireClientSASLAuth", "true", "enforce.auth.enabled",
                "false", "authProvider.sasl", SASL_PROVIDER), "zoo.cfg", true);
        assertEquals(Set.of("sasl"), c.enforcedSchemes());
        assertFalse(c.admits(List.of(new Id("digest", "dora:x"))));
        assertTrue(c.admits(List.of(new Id("sasl", "bob"))));
    }
}
