package io.paddock.server.tree;

/**
 * How the kind of a znode is packed into its stored ephemeralOwner word, as Apache does it so
 * the value carries over snapshots: 0 persistent, a session id for ephemerals, Long.MIN_VALUE
 * for containers, and top byte 0xFF plus a 40-bit TTL in milliseconds for TTL nodes (only when
 * extended types are enabled).
 */
public final class NodeKind {
    public static final long CONTAINER_MARKER = Long.MIN_VALUE;
    public static final long TTL_MARKER = 0xFF00000000000000L;
    public static final long MAX_TTL_MS = 0xFFFFFFFFFFL;

    private NodeKind() {
    }

    public static long ttlOwner(long ttlMs) {
        assert ttlMs > 0 && ttlMs <= MAX_TTL_MS : "ttl out of range: " + ttlMs;
        return TTL_MARKER | ttlMs;
    }

    public static boolean isContainer(long owner) {
        return owner == CONTAINER_MARKER;
    }

    public static boolean isTtl(long owner, boolean extendedTypes) {
        return extendedTypes && (owner & 0xFFFF000000000000L) == TTL_MARKER;
    }

    public static long ttlMs(long owner) {
        return owner & MAX_TTL_MS;
    }

    /** Whether the node belongs to a session (and so may have no children). */
    public static boolean isEphemeral(long owner, boolean extendedTypes) {
        return owner != 0 && !isContainer(owner) && !isTtl(owner, extendedTypes);
    }

    public static long reportedOwner(long owner, boolean extendedTypes) {
        return isEphemeral(owner, extendedTypes) ? owner : 0;
    }
}
