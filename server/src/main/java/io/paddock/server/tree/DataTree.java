package io.paddock.server.tree;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Acls;
import io.paddock.protocol.PathRules;
import io.paddock.protocol.QuotaText;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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

    private final NodeTable nodes;
    /**
     * Ephemeral paths per session, in plain hash sets on purpose: their iteration order is the
     * order in which Apache ZooKeeper deletes a closed session's nodes, and Paddock keeps it.
     */
    private final Map<Long, HashSet<String>> ephemerals = new HashMap<>();
    private final Set<String> containers = new LinkedHashSet<>();
    private final Set<String> ttls = new LinkedHashSet<>();
    private final AclCache aclCache = new AclCache();
    private final QuotaRoots quotaRoots = new QuotaRoots();
    private final boolean extendedTypes;
    private long approximateDataSize;
    /** The snapshot being taken, if any: told of every node before it changes. */
    private SnapshotCursor snapshot;

    public DataTree(boolean extendedTypes) {
        this(extendedTypes, 16);
    }

    private DataTree(boolean extendedTypes, int expectedNodes) {
        this.nodes = new NodeTable(expectedNodes);
        this.extendedTypes = extendedTypes;
        List<ACL> open = aclCache.intern(Acls.OPEN_ACL_UNSAFE);
        Node root = new Node(ROOT, new byte[0], open, 0, 0, 0);
        nodes.add(root);
        addSystemNode(ZOOKEEPER, open);
        addSystemNode(QUOTA, open);
        Node config = addSystemNode(CONFIG, aclCache.intern(Acls.READ_ACL_UNSAFE));
        // Apache installs the config ACL with a setACL at version -1, which shows as aversion -1.
        config.aversion = -1;
        approximateDataSize = 0;
        for (Node n : nodes.toArray()) {
            approximateDataSize += n.path.length();
        }
    }

    private Node addSystemNode(String path, List<ACL> acl) {
        Node node = new Node(path, new byte[0], acl, 0, 0, 0);
        nodes.add(node);
        // System nodes do not count as child creations: the root reports cversion -1, /zookeeper -2.
        nodes.get(PathRules.parent(path)).addChild(node);
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
        if (nodes.contains(path)) {
            throw new IllegalStateException("create " + path + ": exists at zxid 0x" + Long.toHexString(zxid));
        }
        Node node = new Node(path, data, aclCache.intern(acl), zxid, time, ephemeralOwner);
        beforeChange(parent);
        nodes.add(node);
        parent.addChild(node);
        parent.childCreates++;
        parent.pzxid = zxid;
        approximateDataSize += path.length() + (data == null ? 0 : data.length);
        if (NodeKind.isContainer(ephemeralOwner)) {
            containers.add(path);
        } else if (NodeKind.isTtl(ephemeralOwner, extendedTypes)) {
            ttls.add(path);
        } else if (ephemeralOwner != 0) {
            ephemerals.computeIfAbsent(ephemeralOwner, k -> new HashSet<>()).add(path);
        }
        if (parentPath.startsWith(QUOTA + "/")) {
            String target = parentPath.substring(QUOTA.length());
            String name = path.substring(parentPath.length() + 1);
            if (name.equals(QuotaText.LIMITS)) {
                quotaRoots.add(target);
            } else if (name.equals(QuotaText.STATS)) {
                recountQuota(target);
            }
        }
        addUsage(path, 1, length(data));
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
        Node parent = nodes.get(PathRules.parent(path));
        beforeChange(parent);
        nodes.remove(path);
        parent.removeChild(node);
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
        String parentPath = parent.path;
        if (parentPath.startsWith(QUOTA + "/") && path.endsWith("/" + QuotaText.LIMITS)) {
            quotaRoots.remove(parentPath.substring(QUOTA.length()));
        }
        addUsage(path, -1, -length(node.data));
        return node;
    }

    public Node setData(String path, byte[] data, long zxid, long time) {
        Node node = existing(path, zxid);
        beforeChange(node);
        int diff = length(data) - length(node.data);
        approximateDataSize += diff;
        node.data = data;
        node.version++;
        node.mzxid = zxid;
        node.mtime = time;
        addUsage(path, 0, diff);
        return node;
    }

    /**
     * Publishes the ensemble's membership in {@code /zookeeper/config}, as Apache does when a member
     * starts or has synced with its leader: not a txn (every member derives the same text from its
     * configuration), so no watch fires; the node's version reads -1 and its mzxid is the
     * configuration's version.
     */
    public void setConfig(byte[] data, long configVersion, long time) {
        Node node = nodes.get(CONFIG);
        beforeChange(node);
        approximateDataSize += length(data) - length(node.data);
        node.data = data;
        node.version = -1;
        node.mzxid = configVersion;
        node.mtime = time;
    }

    private static int length(byte[] data) {
        return data == null ? 0 : data.length;
    }

    /** The deepest path with a quota at or above {@code path} (the one its usage counts in); null if none. */
    public String quotaRootOf(String path) {
        return quotaRoots.deepestOver(path);
    }

    /**
     * Counts a change in the usage of the quota {@code path} falls under, in that quota's stats
     * node, as Apache does: the stats node's data changes without a txn of its own, the same way on
     * every server since it follows from the txns applied.
     */
    private void addUsage(String path, int countDiff, int bytesDiff) {
        String root = quotaRoots.deepestOver(path);
        if (root == null) {
            return;
        }
        Node stats = nodes.get(QuotaText.statsPath(root));
        if (stats == null) {
            return; // limits without stats: nothing to keep, as in Apache
        }
        QuotaText now = QuotaText.parseLenient(stats.data);
        writeUsage(stats, QuotaText.usage(now.count() + countDiff, now.bytes() + bytesDiff));
    }

    /** Sets a quota's stats node to the usage of the subtree at {@code path} (itself included). */
    private void recountQuota(String path) {
        Node stats = nodes.get(QuotaText.statsPath(path));
        if (stats == null) {
            return;
        }
        long count = 0;
        long bytes = 0;
        Node start = nodes.get(path);
        if (start != null) {
            ArrayDeque<Node> todo = new ArrayDeque<>();
            todo.add(start);
            while (!todo.isEmpty()) {
                Node n = todo.poll();
                count++;
                bytes += length(n.data);
                todo.addAll(n.childNodes());
            }
        }
        writeUsage(stats, QuotaText.usage(count, bytes));
    }

    private void writeUsage(Node stats, QuotaText usage) {
        byte[] data = usage.toBytes();
        beforeChange(stats);
        approximateDataSize += data.length - length(stats.data);
        stats.data = data;
    }

    public Node setAcl(String path, List<ACL> acl, long zxid) {
        Node node = existing(path, zxid);
        beforeChange(node);
        node.acl = aclCache.intern(acl);
        node.aversion++;
        return node;
    }

    private void beforeChange(Node node) {
        if (snapshot != null) {
            snapshot.beforeChange(node);
        }
    }

    /** Starts walking the tree as it is now (at {@code zxid}); one snapshot at a time. */
    public SnapshotCursor startSnapshot(long zxid) {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot is already being taken at 0x" + Long.toHexString(snapshot.zxid()));
        }
        snapshot = new SnapshotCursor(this, zxid, nodes.toArray());
        return snapshot;
    }

    void detach(SnapshotCursor cursor) {
        if (snapshot == cursor) {
            snapshot = null;
        }
    }

    /**
     * Rebuilds a tree from snapshot images (any order): nodes, child links and every index.
     * Throws when the images do not form a tree.
     */
    public static DataTree restore(boolean extendedTypes, java.util.Collection<NodeImage> images) {
        Restorer r = restorer(extendedTypes, images.size());
        for (NodeImage img : images) {
            r.add(img);
        }
        return r.finish();
    }

    /** A tree rebuilt one image at a time, for a snapshot read as a stream of about {@code expectedNodes}. */
    public static Restorer restorer(boolean extendedTypes, int expectedNodes) {
        return new Restorer(extendedTypes, expectedNodes);
    }

    /** Takes a snapshot's images in any order; {@link #finish} links them and checks they form a tree. */
    public static final class Restorer {
        private final DataTree t;
        private boolean finished;

        private Restorer(boolean extendedTypes, int expectedNodes) {
            t = new DataTree(extendedTypes, expectedNodes);
            t.nodes.clear();
            t.approximateDataSize = 0;
        }

        public void add(NodeImage img) {
            if (finished) {
                throw new IllegalStateException("the tree is already restored");
            }
            Node n = new Node(img.path(), img.data(), t.aclCache.intern(img.acl()), img.czxid(), img.ctime(),
                    img.ephemeralOwner());
            n.mzxid = img.mzxid();
            n.mtime = img.mtime();
            n.pzxid = img.pzxid();
            n.version = img.version();
            n.childCreates = img.childCreates();
            n.aversion = img.aversion();
            if (!t.nodes.add(n)) {
                throw new IllegalStateException("snapshot holds " + img.path() + " twice");
            }
        }

        public DataTree finish() {
            finished = true;
            for (String required : new String[] {ROOT, ZOOKEEPER, QUOTA, CONFIG}) {
                if (!t.nodes.contains(required)) {
                    throw new IllegalStateException("snapshot lacks " + required);
                }
            }
            for (Node n : t.nodes.toArray()) {
                String path = n.path;
                t.approximateDataSize += path.length() + (n.data == null ? 0 : n.data.length);
                if (path.equals(ROOT)) {
                    continue;
                }
                Node parent = t.nodes.get(PathRules.parent(path));
                if (parent == null) {
                    throw new IllegalStateException("snapshot holds " + path + " without its parent");
                }
                parent.addChild(n);
                long owner = n.ephemeralOwner;
                if (NodeKind.isContainer(owner)) {
                    t.containers.add(path);
                } else if (NodeKind.isTtl(owner, t.extendedTypes)) {
                    t.ttls.add(path);
                } else if (owner != 0) {
                    t.ephemerals.computeIfAbsent(owner, k -> new HashSet<>()).add(path);
                }
            }
            // Indexes keep creation order (czxid), as a live tree does.
            Set<String> c = t.byCreation(t.containers);
            t.containers.clear();
            t.containers.addAll(c);
            Set<String> ttl = t.byCreation(t.ttls);
            t.ttls.clear();
            t.ttls.addAll(ttl);
            t.rebuildQuotas();
            return t;
        }
    }

    /** Finds every quota and recounts its usage, as Apache does when it loads a snapshot. */
    private void rebuildQuotas() {
        quotaRoots.clear();
        List<String> limits = new java.util.ArrayList<>();
        for (Node n : nodes.toArray()) {
            if (n.path.startsWith(QUOTA + "/") && n.path.endsWith("/" + QuotaText.LIMITS) && n.numChildren() == 0) {
                limits.add(n.path);
            }
        }
        for (String l : limits) {
            String target = l.substring(QUOTA.length(), l.length() - QuotaText.LIMITS.length() - 1);
            quotaRoots.add(target);
            recountQuota(target);
        }
    }

    private Set<String> byCreation(Set<String> paths) {
        List<String> sorted = new java.util.ArrayList<>(paths);
        sorted.sort(java.util.Comparator.comparingLong(p -> nodes.get(p).czxid));
        return new LinkedHashSet<>(sorted);
    }

    private Node existing(String path, long zxid) {
        Node node = nodes.get(path);
        if (node == null) {
            throw new IllegalStateException("update of missing " + path + " at zxid 0x" + Long.toHexString(zxid));
        }
        return node;
    }

    /** The ephemeral paths owned by a session. */
    public Set<String> ephemeralsOf(long sessionId) {
        Set<String> owned = ephemerals.get(sessionId);
        return owned == null ? Set.of() : Collections.unmodifiableSet(owned);
    }

    /** A copy of a session's ephemeral set with the same iteration order (a clone, not a rebuild). */
    @SuppressWarnings("unchecked")
    public HashSet<String> ephemeralsCopyOf(long sessionId) {
        HashSet<String> owned = ephemerals.get(sessionId);
        return owned == null ? new HashSet<>() : (HashSet<String>) owned.clone();
    }

    public int ephemeralCount() {
        int n = 0;
        for (Set<String> s : ephemerals.values()) {
            n += s.size();
        }
        return n;
    }

    public Map<Long, ? extends Set<String>> ephemeralsBySession() {
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
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            for (Node child : todo.poll().childNodes()) {
                count++;
                todo.add(child);
            }
        }
        return count;
    }
}
