package io.paddock.server.tree;

import io.paddock.protocol.PathRules;
import java.util.HashSet;
import java.util.Set;

/**
 * The paths that have a quota (a {@code zookeeper_limits} node under {@code /zookeeper/quota}),
 * and for any path the deepest of them at or above it: the one whose usage that path counts in,
 * as Apache keeps it. The root itself never has a quota.
 */
final class QuotaRoots {
    private final Set<String> roots = new HashSet<>();

    void add(String path) {
        if (!path.equals(DataTree.ROOT) && !path.isEmpty()) {
            roots.add(path);
        }
    }

    void remove(String path) {
        roots.remove(path);
    }

    void clear() {
        roots.clear();
    }

    boolean isEmpty() {
        return roots.isEmpty();
    }

    /** The deepest quota path that is {@code path} or one of its ancestors; null if none. */
    String deepestOver(String path) {
        if (roots.isEmpty()) {
            return null;
        }
        String p = path;
        while (!p.equals(DataTree.ROOT)) {
            if (roots.contains(p)) {
                return p;
            }
            p = PathRules.parent(p);
        }
        return null;
    }
}
