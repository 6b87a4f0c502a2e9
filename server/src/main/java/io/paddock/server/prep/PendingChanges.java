package io.paddock.server.prep;

import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The effect of txns that prep has decided but the tree has not applied yet, by path. Prep reads
 * through it so that a request sees every earlier request's outcome; entries are dropped as the
 * apply thread catches up. Same thread as apply.
 */
final class PendingChanges {
    /** A pending state; {@code view == null} means the node will not exist. */
    private record Entry(NodeView view, long zxid) {
    }

    private record Touched(long zxid, String path) {
    }

    private final DataTree tree;
    private final Map<String, Entry> byPath = new HashMap<>();
    private final ArrayDeque<Touched> order = new ArrayDeque<>();

    PendingChanges(DataTree tree) {
        this.tree = tree;
    }

    /** The node as it will be, or null if it will not exist. */
    NodeView lookup(String path) {
        Entry e = byPath.get(path);
        if (e != null) {
            return e.view;
        }
        Node node = tree.get(path);
        return node == null ? null : NodeView.of(node);
    }

    void record(String path, NodeView view, long zxid) {
        byPath.put(path, new Entry(view, zxid));
        order.add(new Touched(zxid, path));
    }

    /** Forgets what the tree now reflects. */
    void appliedUpTo(long zxid) {
        while (!order.isEmpty() && order.peek().zxid() <= zxid) {
            Touched t = order.poll();
            Entry e = byPath.get(t.path());
            if (e != null && e.zxid() <= zxid) {
                byPath.remove(t.path());
            }
        }
    }

    /** Forgets everything not yet applied (the txns were abandoned, e.g. after a log failure). */
    void clear() {
        byPath.clear();
        order.clear();
    }

    /** Every pending change, oldest first (a path changed twice appears twice). */
    List<Map.Entry<String, NodeView>> pendingInOrder() {
        List<Map.Entry<String, NodeView>> out = new ArrayList<>(order.size());
        for (Touched t : order) {
            Entry e = byPath.get(t.path());
            if (e != null && e.zxid() == t.zxid()) {
                out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(t.path(), e.view()));
            }
        }
        return out;
    }
}
