package io.paddock.server.sasl;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * Apache ZooKeeper 3.9 clients in the test JVM that authenticate by SASL DIGEST-MD5. JAAS is
 * global to a JVM, so one {@link Configuration} is installed for the test class: its section
 * names are user names ({@code bob} logs in as bob with {@code users.get("bob")}), and each
 * client picks its section with {@code zookeeper.sasl.clientconfig}.
 */
final class SaslClients {
    private static final String DIGEST_LOGIN_MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";

    private SaslClients() {
    }

    /** A JAAS configuration whose section {@code name} logs in as that user with the given password. */
    static Configuration jaas(Map<String, String> users) {
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                String password = users.get(name);
                if (password == null) {
                    return null;
                }
                return new AppConfigurationEntry[] {new AppConfigurationEntry(DIGEST_LOGIN_MODULE,
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("username", name.replaceFirst("#.*", ""), "password", password))};
            }
        };
    }

    /** The states a client went through (connected, SaslAuthenticated, AuthFailed...). */
    static final class States implements Watcher {
        final List<Event.KeeperState> seen = new CopyOnWriteArrayList<>();

        @Override
        public void process(org.apache.zookeeper.WatchedEvent event) {
            if (event.getType() == Event.EventType.None) {
                seen.add(event.getState());
            }
        }
    }

    /** A client logging in with JAAS section {@code section}, or without SASL when it is null. */
    static ZooKeeper connect(String connectString, String section, States states) throws IOException {
        ZKClientConfig config = new ZKClientConfig();
        // Apache's 3.9 client refuses DIGEST-MD5 in FIPS mode, which is on by default.
        config.setProperty("zookeeper.fips-mode", "false");
        config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, String.valueOf(section != null));
        if (section != null) {
            config.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, section);
        }
        return new ZooKeeper(connectString, 30_000, states, config);
    }
}
