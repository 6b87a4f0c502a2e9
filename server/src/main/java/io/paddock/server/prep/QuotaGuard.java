package io.paddock.server.prep;

import io.paddock.protocol.QuotaText;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import io.paddock.server.stats.RateLimitedLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache's quota check of a create or setData, made in prep (on the leader, so the verdict is one
 * txn every member applies alike). Only with {@code zookeeper.enforceQuota}: a write that takes the
 * usage of the deepest quota above its path past a hard limit is refused; past a soft limit (when
 * no hard limit of that kind is set) it is only logged. Usage and limits are read from the applied
 * tree, as Apache reads them: writes still in flight are not counted.
 */
public final class QuotaGuard {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaGuard.class);

    /** No enforcement: every write passes and nothing is logged (Apache's default). */
    public static final QuotaGuard OFF = new QuotaGuard(false, ns -> { });

    private final boolean enforce;
    private final Consumer<String> refusedIn;
    /**
     * One rate-limited warning per quota, figure and kind of limit, so a flood on one quota does not
     * hide the first warning about another; the least recently warned are forgotten past a bound.
     */
    private final Map<String, RateLimitedLog> warnings = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimitedLog> eldest) {
            return size() > 1000;
        }
    };

    /**
     * @param enforce   whether quotas are enforced at all
     * @param refusedIn told the top-level namespace (first path segment) of each refused write, for metrics
     */
    public QuotaGuard(boolean enforce, Consumer<String> refusedIn) {
        this.enforce = enforce;
        this.refusedIn = refusedIn;
    }

    public boolean enforced() {
        return enforce;
    }

    /** Whether a write at {@code path} that adds {@code countDiff} nodes and {@code bytesDiff} bytes is refused. */
    boolean refuses(DataTree tree, String path, int countDiff, long bytesDiff) {
        if (!enforce) {
            return false;
        }
        String root = tree.quotaRootOf(path);
        if (root == null) {
            return false;
        }
        Node limitsNode = tree.get(QuotaText.limitsPath(root));
        Node statsNode = tree.get(QuotaText.statsPath(root));
        if (limitsNode == null || statsNode == null) {
            return false;
        }
        QuotaText limits = QuotaText.parseLenient(limitsNode.data());
        QuotaText usage = QuotaText.parseLenient(statsNode.data());
        boolean refused = false;
        if (countDiff != 0 && limits.effectiveCountLimit() > -1) {
            refused = past(root, "count", usage.count() + countDiff, limits.effectiveCountLimit(),
                    limits.countHardLimit() > -1);
        }
        if (!refused && bytesDiff != 0 && limits.effectiveByteLimit() > -1) {
            refused = past(root, "bytes", usage.bytes() + bytesDiff, limits.effectiveByteLimit(),
                    limits.byteHardLimit() > -1);
        }
        if (refused) {
            refusedIn.accept(QuotaText.namespaceOf(path));
        }
        return refused;
    }

    private boolean past(String root, String figure, long wouldBe, long limit, boolean hard) {
        if (wouldBe <= limit) {
            return false;
        }
        String key = root + '\0' + figure + '\0' + hard;
        RateLimitedLog log = warnings.computeIfAbsent(key, k -> new RateLimitedLog(LOG, 1, TimeUnit.SECONDS));
        log.warn("quota of {} exceeded: {} would be {}, over its {} limit of {}{}", root, figure, wouldBe,
                hard ? "hard" : "soft", limit, hard ? "; the write is refused" : "");
        return hard;
    }
}
