package io.paddock.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The text a quota node holds, in Apache ZooKeeper's form: a {@code zookeeper_limits} node says
 * {@code count=N,bytes=N} and, with hard limits, {@code count=N,bytes=N=;byteHardLimit=N;countHardLimit=N}
 * (the extra {@code =} keeps old readers to the first two pairs); a {@code zookeeper_stats} node
 * says {@code count=N,bytes=N}. A missing figure is -1 (no limit). Also where the nodes live.
 *
 * @param count          the soft count limit, or the node count in a stats node
 * @param bytes          the soft byte limit, or the data bytes in a stats node
 * @param countHardLimit the hard count limit, -1 for none
 * @param byteHardLimit  the hard byte limit, -1 for none
 * @param hardForm       whether the text names the hard limits (Apache's zkCli always writes them
 *                       in a limits node, even as -1; a stats node never has them)
 */
public record QuotaText(long count, long bytes, long countHardLimit, long byteHardLimit, boolean hardForm) {
    /** The parent of every quota node. */
    public static final String QUOTA_ROOT = "/zookeeper/quota";
    /** The child that holds a path's limits. */
    public static final String LIMITS = "zookeeper_limits";
    /** The child that holds a path's usage, kept by the server. */
    public static final String STATS = "zookeeper_stats";

    /** Nothing set: every figure -1. */
    public static final QuotaText NONE = new QuotaText(-1, -1, -1, -1, false);

    /** A usage figure: node count and data bytes. */
    public static QuotaText usage(long count, long bytes) {
        return new QuotaText(count, bytes, -1, -1, false);
    }

    /** Limits as zkCli's setquota writes them: all four figures, -1 where unset. */
    public static QuotaText limits(long count, long bytes, long countHardLimit, long byteHardLimit) {
        return new QuotaText(count, bytes, countHardLimit, byteHardLimit, true);
    }

    /** Parses a quota node's text; unknown keys are ignored, an empty value means -1. */
    public static QuotaText parse(String text) {
        long count = -1;
        long bytes = -1;
        long countHard = -1;
        long byteHard = -1;
        boolean hard = false;
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        for (String pair : text.split("[,;]+")) {
            String[] kv = pair.split("=");
            if (kv.length == 0 || kv[0].isEmpty()) {
                continue;
            }
            long v = kv.length < 2 || kv[1].isEmpty() ? -1 : Long.parseLong(kv[1].trim());
            switch (kv[0].trim()) {
                case "count" -> count = v;
                case "bytes" -> bytes = v;
                case "countHardLimit" -> {
                    countHard = v;
                    hard = true;
                }
                case "byteHardLimit" -> {
                    byteHard = v;
                    hard = true;
                }
                default -> { }
            }
        }
        return new QuotaText(count, bytes, countHard, byteHard, hard);
    }

    /** Parses a node's data; bad text reads as {@link #NONE} (a hand-written node must not break writes). */
    public static QuotaText parseLenient(byte[] data) {
        try {
            return parse(data == null ? null : new String(data, StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    public QuotaText withCount(long c) {
        return new QuotaText(c, bytes, countHardLimit, byteHardLimit, hardForm);
    }

    public QuotaText withBytes(long b) {
        return new QuotaText(count, b, countHardLimit, byteHardLimit, hardForm);
    }

    public QuotaText withCountHardLimit(long c) {
        return new QuotaText(count, bytes, c, byteHardLimit, true);
    }

    public QuotaText withByteHardLimit(long b) {
        return new QuotaText(count, bytes, countHardLimit, b, true);
    }

    /** The count limit in force: the hard one when set, else the soft one (-1: none). */
    public long effectiveCountLimit() {
        return countHardLimit > -1 ? countHardLimit : count;
    }

    /** The byte limit in force: the hard one when set, else the soft one (-1: none). */
    public long effectiveByteLimit() {
        return byteHardLimit > -1 ? byteHardLimit : bytes;
    }

    /** Whether any limit (soft or hard) is set. */
    public boolean anyLimit() {
        return count > -1 || bytes > -1 || countHardLimit > -1 || byteHardLimit > -1;
    }

    /**
     * Apache's text: {@code count=N,bytes=N}, then, in the hard form (or when a hard limit is set),
     * {@code =;byteHardLimit=N;countHardLimit=N} (keys in alphabetical order).
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("count=").append(count).append(",bytes=").append(bytes);
        if (hardForm || countHardLimit != -1 || byteHardLimit != -1) {
            b.append("=;byteHardLimit=").append(byteHardLimit).append(";countHardLimit=").append(countHardLimit);
        }
        return b.toString();
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code /zookeeper/quota<path>}: the node whose children hold a path's quota. */
    public static String quotaPath(String path) {
        return QUOTA_ROOT + path;
    }

    public static String limitsPath(String path) {
        return QUOTA_ROOT + path + "/" + LIMITS;
    }

    public static String statsPath(String path) {
        return QUOTA_ROOT + path + "/" + STATS;
    }

    /** The first segment of a path ("/a/b" gives "a"; "/" gives ""), as Apache names a namespace in its metrics. */
    public static String namespaceOf(String path) {
        int next = path.indexOf('/', 1);
        return next < 0 ? path.substring(1) : path.substring(1, next);
    }
}
