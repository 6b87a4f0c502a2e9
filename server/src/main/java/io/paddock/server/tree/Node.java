package io.paddock.server.tree;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Stat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One znode. Mutable, owned by the apply thread. {@code childCreates} is the parent-side counter
 * that only grows; the reported cversion is derived from it ({@code 2*C - numChildren}) and the
 * sequential suffix is its value before the create.
 */
public final class Node {
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
    private Set<String> children;

    Node(byte[] data, List<ACL> acl, long zxid, long time, long ephemeralOwner) {
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

    /** Child names; a live view, to be read on the apply thread only. */
    public Set<String> children() {
        return children == null ? Set.of() : children;
    }

    void addChild(String name) {
        if (children == null) {
            // Sized and kept as Apache's are, so that getChildren lists children in the same order.
            children = new HashSet<>(8);
        }
        boolean added = children.add(name);
        assert added : "child already present: " + name;
    }

    void removeChild(String name) {
        boolean removed = children != null && children.remove(name);
        assert removed : "child not present: " + name;
    }

    /** The Stat a client sees: derived cversion, and 0 as the owner of containers and TTL nodes. */
    public Stat stat(boolean extendedTypes) {
        int numChildren = numChildren();
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * childCreates - numChildren, aversion,
                NodeKind.reportedOwner(ephemeralOwner, extendedTypes),
                data == null ? 0 : data.length, numChildren, pzxid);
    }
}
