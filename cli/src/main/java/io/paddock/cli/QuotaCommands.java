package io.paddock.cli;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.protocol.Acls;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.QuotaText;
import java.util.List;

/**
 * Quotas: setquota, listquota, delquota, with Apache zkCli's options, checks and output. A quota on
 * a path is the node {@code /zookeeper/quota<path>} with the children {@code zookeeper_limits}
 * (written here) and {@code zookeeper_stats} (kept up to date by the server).
 */
final class QuotaCommands {
    private static final String SET_USAGE = "setquota -n|-b|-N|-B val path";
    private static final String DEL_USAGE = "delquota [-n|-b|-N|-B] path";

    private QuotaCommands() {
    }

    static void register(Commands c) {
        c.add(new Command("setquota", SET_USAGE, "", "nbNB", 1, QuotaCommands::setQuota));
        c.add(new Command("listquota", "listquota path", "", "", 1, QuotaCommands::listQuota));
        c.add(new Command("delquota", DEL_USAGE, "nbNB", "", 1, QuotaCommands::delQuota));
    }

    /** The one limit option given; Apache takes exactly one per call. */
    private static char onlyOption(Args a, String usage, boolean required) {
        char found = 0;
        for (char c : new char[] {'n', 'b', 'N', 'B'}) {
            if (a.has(c)) {
                if (found != 0) {
                    throw new CliException(usage);
                }
                found = c;
            }
        }
        if (required && found == 0) {
            throw new CliException(usage);
        }
        return found;
    }

    private static void setQuota(Args a, Session s) throws InterruptedException {
        char option = onlyOption(a, SET_USAGE, true);
        String path = a.arg(0);
        if (path.startsWith(QuotaText.QUOTA_ROOT)) {
            s.err().println("cannot set a quota under the path: " + QuotaText.QUOTA_ROOT);
            return;
        }
        long value;
        try {
            value = Long.parseLong(a.value(option));
            if (option == 'n' || option == 'N') {
                value = Integer.parseInt(a.value(option));
            }
        } catch (NumberFormatException e) {
            s.err().println("NumberFormatException happens when parsing the option value");
            return;
        }
        boolean isCount = option == 'n' || option == 'N';
        if (isCount && value <= 0) {
            s.err().println("the num quota must be greater than zero");
            return;
        }
        if (!isCount && value < 0) {
            s.err().println("the bytes quota must be greater than or equal to zero");
            return;
        }
        QuotaText asked = switch (option) {
            case 'n' -> QuotaText.limits(value, -1, -1, -1);
            case 'b' -> QuotaText.limits(-1, value, -1, -1);
            case 'N' -> QuotaText.limits(-1, -1, value, -1);
            default -> QuotaText.limits(-1, -1, -1, value);
        };
        createQuota(s, path, asked);
    }

    private static void createQuota(Session s, String path, QuotaText asked) throws InterruptedException {
        PaddockClient client = s.client();
        if (client.exists(path) == null) {
            throw new CliException(path + " does not exist.");
        }
        refuseNestedQuota(client, path);
        String quotaPath = QuotaText.quotaPath(path);
        StringBuilder p = new StringBuilder(QuotaText.QUOTA_ROOT);
        for (String segment : path.substring(1).split("/")) {
            p.append('/').append(segment);
            createIfMissing(client, p.toString(), null);
        }
        String limitsPath = QuotaText.limitsPath(path);
        String statsPath = QuotaText.statsPath(path);
        QuotaText limits;
        if (client.exists(limitsPath) == null) {
            limits = asked;
            client.create(limitsPath, limits.toBytes(), Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // The server fills in the real usage when the stats node appears.
            client.create(statsPath, QuotaText.usage(0, 0).toBytes(), Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } else {
            QuotaText old = QuotaText.parseLenient(client.getData(limitsPath).data());
            limits = QuotaText.limits(
                    asked.count() > -1 ? asked.count() : old.count(),
                    asked.bytes() > -1 ? asked.bytes() : old.bytes(),
                    asked.countHardLimit() > -1 ? asked.countHardLimit() : old.countHardLimit(),
                    asked.byteHardLimit() > -1 ? asked.byteHardLimit() : old.byteHardLimit());
            client.setData(limitsPath, limits.toBytes(), -1);
        }
        QuotaText usage = QuotaText.parseLenient(client.getData(statsPath).data());
        if (below(limits.count(), usage.count()) || below(limits.countHardLimit(), usage.count())) {
            s.out().println("[Warning]: the count quota you create is less than the existing count:" + usage.count());
        }
        if (below(limits.bytes(), usage.bytes()) || below(limits.byteHardLimit(), usage.bytes())) {
            s.out().println("[Warning]: the bytes quota you create is less than the existing bytes:" + usage.bytes());
        }
    }

    private static boolean below(long limit, long usage) {
        return limit > -1 && limit < usage;
    }

    /** Quotas do not nest: no quota on an ancestor, none on a descendant (Apache's rule, checked by its shell). */
    private static void refuseNestedQuota(PaddockClient client, String path) throws InterruptedException {
        String own = QuotaText.quotaPath(path);
        if (client.exists(own) != null) {
            for (String p : Trees.breadthFirst(client, own)) {
                if (!p.equals(own) && client.exists(p + "/" + QuotaText.LIMITS) != null) {
                    throw new CliException(path + " has a child " + p.substring(QuotaText.QUOTA_ROOT.length())
                            + " which has a quota");
                }
            }
        }
        String[] segments = path.substring(1).split("/");
        StringBuilder ancestor = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            ancestor.append('/').append(segments[i]);
            if (client.exists(QuotaText.limitsPath(ancestor.toString())) != null) {
                throw new CliException(path + " has a parent " + ancestor + " which has a quota");
            }
        }
    }

    private static void createIfMissing(PaddockClient client, String path, byte[] data) throws InterruptedException {
        if (client.exists(path) == null) {
            try {
                client.create(path, data, Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NODE_EXISTS) {
                    throw e;
                }
            }
        }
    }

    private static void listQuota(Args a, Session s) throws InterruptedException {
        String path = a.arg(0);
        s.err().println("absolute path is " + QuotaText.limitsPath(path));
        try {
            PaddockClient client = s.client();
            QuotaText limits = QuotaText.parse(new String(client.getData(QuotaText.limitsPath(path)).data(),
                    java.nio.charset.StandardCharsets.UTF_8));
            s.out().println("Output quota for " + path + " " + limits);
            QuotaText usage = QuotaText.parseLenient(client.getData(QuotaText.statsPath(path)).data());
            s.out().println("Output stat for " + path + " " + usage);
        } catch (PaddockException e) {
            if (e.code() != ErrorCode.NO_NODE) {
                throw e;
            }
            s.err().println("quota for " + path + " does not exist.");
        }
    }

    /** Without an option the whole quota goes; with one, only that limit (set back to -1). */
    private static void delQuota(Args a, Session s) throws InterruptedException {
        char option = onlyOption(a, DEL_USAGE, false);
        String path = a.arg(0);
        PaddockClient client = s.client();
        String limitsPath = QuotaText.limitsPath(path);
        try {
            if (client.exists(limitsPath) == null) {
                s.out().println("Quota does not exist for " + path);
                return;
            }
            if (option == 0) {
                String quotaPath = QuotaText.quotaPath(path);
                for (String child : client.getChildren(quotaPath)) {
                    client.delete(quotaPath + "/" + child, -1);
                }
                trimEmptyQuotaNodes(client, quotaPath);
                return;
            }
            QuotaText q = QuotaText.parseLenient(client.getData(limitsPath).data());
            q = switch (option) {
                case 'n' -> q.withCount(-1);
                case 'b' -> q.withBytes(-1);
                case 'N' -> q.withCountHardLimit(-1);
                default -> q.withByteHardLimit(-1);
            };
            client.setData(limitsPath, q.toBytes(), -1);
        } catch (PaddockException e) {
            if (e.code() != ErrorCode.NO_NODE) {
                throw e;
            }
            s.err().println("quota for " + path + " does not exist.");
        }
    }

    /** Deletes the now empty quota nodes from {@code path} upwards, stopping below /zookeeper/quota. */
    private static void trimEmptyQuotaNodes(PaddockClient client, String path) throws InterruptedException {
        String p = path;
        while (!p.equals(QuotaText.QUOTA_ROOT)) {
            List<String> children = client.getChildren(p);
            if (!children.isEmpty()) {
                return;
            }
            client.delete(p, -1);
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }
}
