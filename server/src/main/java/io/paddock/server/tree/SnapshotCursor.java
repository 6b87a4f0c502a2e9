package io.paddock.server.tree;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Walks the tree as it was at one zxid while the apply thread keeps changing it: the node list
 * is taken at the start, and the tree hands over a node's pre-image the first time it changes
 * before the cursor has passed it (copy-on-write at node granularity). The result is an exact
 * image of the tree at that zxid, emitted in slices on the apply thread.
 */
public final class SnapshotCursor {
    private final DataTree tree;
    private final long zxid;
    private final Node[] nodes;
    private final Map<Node, NodeImage> preserved = new IdentityHashMap<>();
    private int next;

    SnapshotCursor(DataTree tree, long zxid, Node[] nodes) {
        this.tree = tree;
        this.zxid = zxid;
        this.nodes = nodes;
    }

    public long zxid() {
        return zxid;
    }

    public int nodeCount() {
        return nodes.length;
    }

    public boolean done() {
        return next >= nodes.length;
    }

    /** Called by the tree before it changes a node. */
    void beforeChange(Node n) {
        // Nodes created after the snapshot point are not in it; the rest keep their first pre-image.
        if (n.czxid <= zxid && !preserved.containsKey(n)) {
            preserved.put(n, NodeImage.of(n));
        }
    }

    /** Emits up to {@code max} nodes; detaches from the tree once every node is out. */
    public int emit(int max, Consumer<NodeImage> out) {
        int emitted = 0;
        while (next < nodes.length && emitted < max) {
            Node n = nodes[next];
            NodeImage image = preserved.remove(n);
            out.accept(image != null ? image : NodeImage.of(n));
            nodes[next] = null;
            next++;
            emitted++;
        }
        if (done()) {
            tree.detach(this);
            preserved.clear();
        }
        return emitted;
    }
}
