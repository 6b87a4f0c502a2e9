package io.paddock.server.tree;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Stat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One znode. Mutable, owned by the apply thread. {@code childCreates} is the parent-side counter
 * that only grows; the reported cversion is derived from it ({@code 2*C - numChildren}) and the
 * sequential suffix is its value before the create.
 *
 * <p>A node knows its path (the tree's path index finds it by that String, so it costs a reference) and
 * its parent holds the child nodes themselves rather than their names: a name String per node
 * would add about 48 bytes to each znode. A node hashes as its name does, so a parent's set of
 * children iterates in the order a set of the names would (Apache's getChildren order); it is
 * equal only to itself, which suffices as the tree removes exactly the node it holds.
 */
public final class Node {
    /** The full path; the key of the tree's path index. */
    final String path;
    byte[] data;
    List<ACL> acl;
    final long czxid;
    final long ctime;
    long mzxid;
    long mtime;
    long pzxid;
    int version;
    int childCreates;
    int aversion;
    /** Stored owner word: a session id, 0, {@link NodeKind#CONTAINER_MARKER} or a TTL word. */
    final long ephemeralOwner;
    private Set<Node> children;

    Node(String path, byte[] data, List<ACL> acl, long zxid, long time, long ephemeralOwner) {
        this.path = path;
        this.data = data;
        this.acl = acl;
        this.czxid = zxid;
        this.mzxid = zxid;
        this.pzxid = zxid;
        this.ctime = time;
        this.mtime = time;
        this.ephemeralOwner = ephemeralOwner;
    }

    public byte[] data() {
        return data;
    }

    public List<ACL> acl() {
        return acl;
    }

    public long ephemeralOwner() {
        return ephemeralOwner;
    }

    public long mtime() {
        return mtime;
    }

    public long mzxid() {
        return mzxid;
    }

    public long pzxid() {
        return pzxid;
    }

    public int version() {
        return version;
    }

    public int aversion() {
        return aversion;
    }

    public int childCreates() {
        return childCreates;
    }

    public int numChildren() {
        return children == null ? 0 : children.size();
    }

    /** The full path of this node. */
    public String path() {
        return path;
    }

    /** The child names, new Strings in the set's order (Apache's getChildren order). Apply thread only. */
    public List<String> childNames() {
        if (children == null) {
            return new ArrayList<>(0);
        }
        List<String> names = new ArrayList<>(children.size());
        for (Node child : children) {
            names.add(child.name());
        }
        return names;
    }

    /** The child nodes; a live view, to be read on the apply thread only. */
    public Set<Node> childNodes() {
        return children == null ? Set.of() : Collections.unmodifiableSet(children);
    }

    /** The last path segment ("" for the root). */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    void addChild(Node child) {
        if (children == null) {
            // Sized and kept as Apache's are, so that getChildren lists children in the same order.
            children = new HashSet<>(8);
        }
        boolean added = children.add(child);
        assert added : "child already present: " + child.path;
    }

    void removeChild(Node child) {
        boolean removed = children != null && children.remove(child);
        assert removed : "child not present: " + child.path;
    }

    /** The hash of the name ({@code name().hashCode()}, computed without making the name). */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = path.lastIndexOf('/') + 1; i < path.length(); i++) {
            h = 31 * h + path.charAt(i);
        }
        return h;
    }

    /** Identity: a tree holds one node per path. */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    /** The Stat a client sees: derived cversion, and 0 as the owner of containers and TTL nodes. */
    public Stat stat(boolean extendedTypes) {
        int numChildren = numChildren();
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * childCreates - numChildren, aversion,
                NodeKind.reportedOwner(ephemeralOwner, extendedTypes),
                data == null ? 0 : data.length, numChildren, pzxid);
    }
}
