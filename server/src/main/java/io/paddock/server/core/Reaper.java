package io.paddock.server.core;

import io.paddock.server.config.ServerConfig;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import io.paddock.server.tree.NodeKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which containers and TTL nodes are due for deletion: a container that has had a child
 * and has none now (or, when configured, was never used for too long), and a childless TTL node
 * whose last change is older than its TTL. Runs every {@code znode.container.checkIntervalMs} and
 * picks at most the share of {@code znode.container.maxPerMinute} that interval allows; the
 * deletes themselves go through prep and replication like any write.
 */
final class Reaper {
    private final long intervalMs;
    private final int perCheck;
    private final long maxNeverUsedMs;
    private final Clock clock;
    private long lastCheckMs;

    Reaper(ServerConfig config, Clock clock) {
        this.intervalMs = config.containerCheckIntervalMs();
        this.perCheck = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                (long) config.containerMaxPerMinute() * intervalMs / 60_000));
        this.maxNeverUsedMs = config.containerMaxNeverUsedIntervalMs();
        this.clock = clock;
        this.lastCheckMs = clock.monotonicMs();
    }

    List<String> due(DataTree tree) {
        long nowMono = clock.monotonicMs();
        if (nowMono - lastCheckMs < intervalMs) {
            return List.of();
        }
        lastCheckMs = nowMono;
        long now = clock.wallMs();
        List<String> out = new ArrayList<>();
        for (String path : tree.containers()) {
            if (out.size() >= perCheck) {
                return out;
            }
            Node node = tree.get(path);
            if (node.numChildren() > 0) {
                continue;
            }
            boolean used = node.childCreates() > 0;
            if (used || (maxNeverUsedMs > 0 && now - node.mtime() > maxNeverUsedMs)) {
                out.add(path);
            }
        }
        for (String path : tree.ttlNodes()) {
            if (out.size() >= perCheck) {
                return out;
            }
            Node node = tree.get(path);
            if (node.numChildren() == 0 && now - node.mtime() > NodeKind.ttlMs(node.ephemeralOwner())) {
                out.add(path);
            }
        }
        return out;
    }
}
