package io.paddock.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Paddock's version and the ZooKeeper version it answers as. Client libraries and their test
 * harnesses parse {@code Zookeeper version: x.y.z-...}, so the Apache-style string starts with
 * the protocol version and carries Paddock's own after it.
 */
public final class Version {
    private static final Properties PROPS = load();

    private Version() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Fall back to the defaults below; a version string is not worth failing start-up over.
        }
        return p;
    }

    private static String prop(String key, String fallback) {
        String v = PROPS.getProperty(key);
        return v == null || v.startsWith("${") ? fallback : v;
    }

    public static String paddock() {
        return prop("paddock.version", "0.0.0-dev");
    }

    public static String protocol() {
        return prop("zookeeper.protocol.version", "3.9.5");
    }

    /** Build time, "yyyy-MM-dd HH:mm" in UTC. */
    public static String built() {
        return prop("built", "1970-01-01 00:00");
    }

    /** e.g. {@code 3.9.5-paddock-0.1.0-SNAPSHOT}. */
    public static String zookeeperStyle() {
        return protocol() + "-paddock-" + paddock();
    }

    /** The text after "Zookeeper version: " in srvr and stat. */
    public static String fullLine() {
        return zookeeperStyle() + ", built on " + built() + " UTC";
    }
}
