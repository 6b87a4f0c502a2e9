package io.paddock.server.tree;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Acls;
import io.paddock.protocol.PathRules;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The znode tree with its indexes (ephemerals per session, container and TTL candidates).
 * Pure data: no watches, no clocks, no I/O. Mutated only by the apply thread, through the
 * methods here, each of which keeps the Stat rules of the ZooKeeper protocol.
 */
public final class DataTree {
    public static final String ROOT = "/";
    public static final String ZOOKEEPER = "/zookeeper";
    public static final String QUOTA = "/zookeeper/quota";
    public static final String CONFIG = "/zookeeper/config";

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<Long, Set<String>> ephemerals = new HashMap<>();
    private final Set<String> containers = new LinkedHashSet<>();
    private final Set<String> ttls = new LinkedHashSet<>();
    private final AclCache aclCache = new AclCache();
    private final boolean extendedTypes;
    private long approximateDataSize;

    public DataTree(boolean extendedTypes) {
        this.extendedTypes = extendedTypes;
        List<ACL> open = aclCache.intern(Acls.OPEN_ACL_UNSAFE);
        Node root = new Node(new byte[0], open, 0, 0, 0);
        nodes.put(ROOT, root);
        addSystemNode(ZOOKEEPER, open);
        addSystemNode(QUOTA, open);
        Node config = addSystemNode(CONFIG, aclCache.intern(Acls.READ_ACL_UNSAFE));
        // Apache installs the config ACL with a setACL at version -1, which shows as aversion -1.
        config.aversion = -1;
        approximateDataSize = 0;
        for (String path : nodes.keySet()) {
            approximateDataSize += path.length();
        }
    }

    private Node addSystemNode(String path, List<ACL> acl) {
        Node node = new Node(new byte[0], acl, 0, 0, 0);
        nodes.put(path, node);
        // System nodes do not count as child creations: the root reports cversion -1, /zookeeper -2.
        nodes.get(PathRules.parent(path)).addChild(PathRules.name(path));
        return node;
    }

    public boolean extendedTypes() {
        return extendedTypes;
    }

    public Node get(String path) {
        return nodes.get(path);
    }

    public int nodeCount() {
        return nodes.size();
    }

    /** Sum of path and data lengths, as Apache's approximate data size. */
    public long approximateDataSize() {
        return approximateDataSize;
    }

    public static boolean isSystemPath(String path) {
        return path.equals(ROOT) || path.equals(ZOOKEEPER) || path.equals(QUOTA) || path.equals(CONFIG);
    }

    /** Creates a node under an existing parent; returns it. */
    public Node create(String path, byte[] data, List<ACL> acl, long ephemeralOwner, long zxid, long time) {
        String parentPath = PathRules.parent(path);
        Node parent = nodes.get(parentPath);
        if (parent == null) {
            throw new IllegalStateException("create " + path + ": parent missing at zxid 0x" + Long.toHexString(zxid));
        }
        if (nodes.containsKey(path)) {
            throw new IllegalStateException("create " + path + ": exists at zxid 0x" + Long.toHexString(zxid));
        }
        Node node = new Node(data, aclCache.intern(acl), zxid, time, ephemeralOwner);
        nodes.put(path, node);
        parent.addChild(PathRules.name(path));
        parent.childCreates++;
        parent.pzxid = zxid;
        approximateDataSize += path.length() + (data == null ? 0 : data.length);
        if (NodeKind.isContainer(ephemeralOwner)) {
            containers.add(path);
        } else if (NodeKind.isTtl(ephemeralOwner, extendedTypes)) {
            ttls.add(path);
        } else if (ephemeralOwner != 0) {
            ephemerals.computeIfAbsent(ephemeralOwner, k -> new LinkedHashSet<>()).add(path);
        }
        return node;
    }

    /** Deletes a childless node; returns the node as it was. */
    public Node delete(String path, long zxid) {
        Node node = nodes.get(path);
        if (node == null || isSystemPath(path)) {
            throw new IllegalStateException("delete " + path + ": missing or protected at zxid 0x" + Long.toHexString(zxid));
        }
        if (node.numChildren() != 0) {
            throw new IllegalStateException("delete " + path + ": has children at zxid 0x" + Long.toHexString(zxid));
        }
        nodes.remove(path);
        Node parent = nodes.get(PathRules.parent(path));
        parent.removeChild(PathRules.name(path));
        if (parent.pzxid < zxid) {
            parent.pzxid = zxid;
        }
        approximateDataSize -= path.length() + (node.data == null ? 0 : node.data.length);
        long owner = node.ephemeralOwner;
        if (NodeKind.isContainer(owner)) {
            containers.remove(path);
        } else if (NodeKind.isTtl(owner, extendedTypes)) {
            ttls.remove(path);
        } else if (owner != 0) {
            Set<String> owned = ephemerals.get(owner);
            if (owned != null) {
                owned.remove(path);
                if (owned.isEmpty()) {
                    ephemerals.remove(owner);
                }
            }
        }
        return node;
    }

    public Node setData(String path, byte[] data, long zxid, long time) {
        Node node = existing(path, zxid);
        approximateDataSize += (data == null ? 0 : data.length) - (node.data == null ? 0 : node.data.length);
        node.data = data;
        node.version++;
        node.mzxid = zxid;
        node.mtime = time;
        return node;
    }

    public Node setAcl(String path, List<ACL> acl, long zxid) {
        Node node = existing(path, zxid);
        node.acl = aclCache.intern(acl);
        node.aversion++;
        return node;
    }

    private Node existing(String path, long zxid) {
        Node node = nodes.get(path);
        if (node == null) {
            throw new IllegalStateException("update of missing " + path + " at zxid 0x" + Long.toHexString(zxid));
        }
        return node;
    }

    /** The ephemeral paths owned by a session, in creation order. */
    public Set<String> ephemeralsOf(long sessionId) {
        Set<String> owned = ephemerals.get(sessionId);
        return owned == null ? Set.of() : Collections.unmodifiableSet(owned);
    }

    public int ephemeralCount() {
        int n = 0;
        for (Set<String> s : ephemerals.values()) {
            n += s.size();
        }
        return n;
    }

    public Map<Long, Set<String>> ephemeralsBySession() {
        return Collections.unmodifiableMap(ephemerals);
    }

    public Set<String> containers() {
        return Collections.unmodifiableSet(containers);
    }

    public Set<String> ttlNodes() {
        return Collections.unmodifiableSet(ttls);
    }

    /** Number of descendants of a node, the node itself excluded. */
    public int countDescendants(String path) {
        Node start = nodes.get(path);
        if (start == null) {
            return 0;
        }
        int count = 0;
        ArrayDeque<String> todo = new ArrayDeque<>();
        todo.add(path);
        while (!todo.isEmpty()) {
            String p = todo.poll();
            Node n = nodes.get(p);
            for (String child : n.children()) {
                count++;
                todo.add(p.equals(ROOT) ? ROOT + child : p + "/" + child);
            }
        }
        return count;
    }
}
