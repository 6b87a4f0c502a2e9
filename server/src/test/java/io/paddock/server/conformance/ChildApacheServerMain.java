package io.paddock.server.conformance;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the child JVM used by {@link ChildApacheServer}: starts an embedded Apache server
 * with the key=value arguments as its cfg, prints its port, and stops when stdin reaches EOF.
 */
public final class ChildApacheServerMain {
    static final String PORT_PREFIX = "CHILD_APACHE_PORT=";

    private ChildApacheServerMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> cfg = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            cfg.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        TestServer server = TestServers.apache(cfg);
        System.out.println(PORT_PREFIX + server.port());
        System.out.flush();
        try {
            // Blocks until the parent closes our stdin (or dies).
            while (System.in.read() >= 0) {
                // ignore anything written to us
            }
        } finally {
            server.close();
        }
        System.exit(0);
    }
}
