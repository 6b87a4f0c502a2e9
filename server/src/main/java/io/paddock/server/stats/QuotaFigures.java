package io.paddock.server.stats;

import io.paddock.protocol.QuotaText;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Apache's per-namespace quota gauges, read from the quota nodes: for each top-level namespace
 * (the first segment of a quota's path), the sum of its quotas' count and byte limits (the hard
 * limit where set, else the soft one) and of their usage. Read on the core thread.
 */
public final class QuotaFigures {
    public static final String COUNT_LIMIT = "quota_count_limit_per_namespace";
    public static final String BYTES_LIMIT = "quota_bytes_limit_per_namespace";
    public static final String COUNT_USAGE = "quota_count_usage_per_namespace";
    public static final String BYTES_USAGE = "quota_bytes_usage_per_namespace";
    /** The counter of writes refused for a hard quota, by namespace. */
    public static final String EXCEEDED = "quota_exceeded_error_per_namespace";

    private QuotaFigures() {
    }

    /** The four gauges by name, each a map from namespace to value; empty maps when no quota is set. */
    public static Map<String, Map<String, Long>> of(DataTree tree) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String name : new String[] {COUNT_LIMIT, BYTES_LIMIT, COUNT_USAGE, BYTES_USAGE}) {
            out.put(name, new TreeMap<>());
        }
        Node quota = tree.get(DataTree.QUOTA);
        if (quota == null) {
            return out;
        }
        ArrayDeque<Node> todo = new ArrayDeque<>(quota.childNodes());
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (n.numChildren() > 0) {
                todo.addAll(n.childNodes());
                continue;
            }
            String path = n.path();
            boolean limits = path.endsWith("/" + QuotaText.LIMITS);
            boolean stats = path.endsWith("/" + QuotaText.STATS);
            if (!limits && !stats) {
                continue;
            }
            String target = path.substring(DataTree.QUOTA.length(), path.lastIndexOf('/'));
            if (target.length() < 2) {
                continue;
            }
            String namespace = QuotaText.namespaceOf(target);
            QuotaText q = QuotaText.parseLenient(n.data());
            if (limits) {
                out.get(COUNT_LIMIT).merge(namespace, q.effectiveCountLimit(), Long::sum);
                out.get(BYTES_LIMIT).merge(namespace, q.effectiveByteLimit(), Long::sum);
            } else {
                out.get(COUNT_USAGE).merge(namespace, q.count(), Long::sum);
                out.get(BYTES_USAGE).merge(namespace, q.bytes(), Long::sum);
            }
        }
        return out;
    }
}
