package io.paddock.client;

import io.paddock.protocol.PathRules;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed connect string: {@code host[:port][,host[:port]...][/chroot]}. IPv6 hosts are
 * written in brackets ({@code [::1]:2181}); the port defaults to 2181. Addresses stay
 * unresolved here so that DNS is consulted at each connection attempt.
 */
record ConnectString(List<InetSocketAddress> hosts, String chroot) {
    static final int DEFAULT_PORT = 2181;

    static ConnectString parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty connect string");
        }
        String hostPart = text.trim();
        String chroot = null;
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            chroot = hostPart.substring(slash);
            hostPart = hostPart.substring(0, slash);
            if (chroot.equals("/")) {
                chroot = null;
            } else {
                String problem = PathRules.problem(chroot);
                if (problem != null) {
                    throw new IllegalArgumentException("invalid chroot " + chroot + ": " + problem);
                }
            }
        }
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String entry : hostPart.split(",")) {
            String host = entry.trim();
            if (host.isEmpty()) {
                continue;
            }
            hosts.add(parseHost(host));
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host in connect string " + text);
        }
        return new ConnectString(List.copyOf(hosts), chroot);
    }

    private static InetSocketAddress parseHost(String entry) {
        String host;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in " + entry);
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unexpected text after ] in " + entry);
            }
        } else {
            int colon = entry.lastIndexOf(':');
            host = colon < 0 ? entry : entry.substring(0, colon);
            port = colon < 0 ? null : entry.substring(colon + 1);
        }
        int number = DEFAULT_PORT;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + entry);
            }
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException("port out of range in " + entry);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host in " + entry);
        }
        return InetSocketAddress.createUnresolved(host, number);
    }
}
