package io.paddock.server.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An ensemble's membership as Apache ZooKeeper publishes it in {@code /zookeeper/config} (and in
 * its dynamic configuration files): one {@code server.N=host:quorumPort:electionPort:role[;clientAddress:clientPort]}
 * line per member, in id order, then {@code version=<hex>}. The version is 0 for the membership of
 * the static configuration; a membership change gives it the zxid of the change.
 *
 * @param members the {@code server.N} lines
 * @param version the configuration's version
 */
public record DynamicConfig(List<PeerSpec> members, long version) {
    public DynamicConfig {
        List<PeerSpec> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingLong(PeerSpec::id));
        members = List.copyOf(sorted);
    }

    /** The text of {@code /zookeeper/config}. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (PeerSpec p : members) {
            out.append("server.").append(p.id()).append('=').append(p.configValue()).append('\n');
        }
        return out.append("version=").append(Long.toHexString(version)).toString();
    }

    /** {@link #text()} as the node's bytes. */
    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }
}
