package io.paddock.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Hands out the connect string's hosts one after another, in an order shuffled once so that
 * clients sharing a connect string spread over the ensemble. Each address is resolved when
 * handed out, so a host whose DNS entry changes is followed.
 */
final class HostProvider {
    private final List<InetSocketAddress> hosts;
    private int next;

    HostProvider(List<InetSocketAddress> hosts, Random random) {
        List<InetSocketAddress> copy = new ArrayList<>(hosts);
        Collections.shuffle(copy, random);
        this.hosts = List.copyOf(copy);
    }

    int size() {
        return hosts.size();
    }

    /** The next host, resolved (an unresolvable one comes back unresolved and fails to connect). */
    InetSocketAddress next() {
        InetSocketAddress host = hosts.get(next);
        next = (next + 1) % hosts.size();
        return new InetSocketAddress(host.getHostString(), host.getPort());
    }
}
