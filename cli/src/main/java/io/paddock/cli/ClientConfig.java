package io.paddock.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code config -c}: the ensemble's dynamic config reduced to what a client needs, the config
 * version and a connect string ({@code version host:port,host:port}).
 */
final class ClientConfig {
    private ClientConfig() {
    }

    static String of(String config) {
        String version = "";
        List<String> hosts = new ArrayList<>();
        for (String raw : config.split("\n")) {
            String line = raw.trim();
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (key.equals("version")) {
                version = value;
            } else if (key.startsWith("server.")) {
                String host = clientAddress(value);
                if (host != null) {
                    hosts.add(host);
                }
            }
        }
        return version + " " + String.join(",", hosts);
    }

    /** {@code host:p1:p2[:role];[addr:]port} to the client address; a wildcard addr means the host. */
    private static String clientAddress(String spec) {
        int semi = spec.indexOf(';');
        if (semi < 0) {
            return null;
        }
        String server = spec.substring(0, semi);
        String client = spec.substring(semi + 1).trim();
        String host = server.contains(":") ? server.substring(0, server.indexOf(':')) : server;
        int colon = client.lastIndexOf(':');
        if (colon < 0) {
            return host + ":" + client;
        }
        String addr = client.substring(0, colon);
        String port = client.substring(colon + 1);
        boolean wildcard = addr.equals("0.0.0.0") || addr.equals("[::]") || addr.equals("::");
        return (wildcard ? host : addr) + ":" + port;
    }
}
