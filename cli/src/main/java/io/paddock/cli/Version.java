package io.paddock.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version stamped into the jar at build time. */
final class Version {
    private Version() {
    }

    static String text() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource only costs the version number.
        }
        return "Paddock CLI version: " + p.getProperty("paddock.version", "unknown")
                + " (ZooKeeper client protocol " + p.getProperty("zookeeper.protocol.version", "3.9") + ")";
    }
}
