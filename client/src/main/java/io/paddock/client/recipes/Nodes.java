package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Small node helpers the recipes share. */
public final class Nodes {
    private Nodes() {
    }

    /** Creates every missing node of {@code path} (persistent, empty, default ACL). */
    public static void ensurePath(PaddockClient client, String path) throws InterruptedException {
        if (path.equals("/") || client.exists(path) != null) {
            return;
        }
        int slash = 0;
        while (slash >= 0) {
            slash = path.indexOf('/', slash + 1);
            String prefix = slash < 0 ? path : path.substring(0, slash);
            try {
                client.create(prefix, null, CreateMode.PERSISTENT);
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NODE_EXISTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates a sequential child whose name carries a random tag ({@code prefix + tag + "-" +
     * sequence}). If the connection drops before the answer arrives, the create may or may not
     * have happened; the tag lets us find out after the reconnect instead of creating a second
     * node. Missing parents are created.
     */
    static String createTagged(PaddockClient client, String parent, String prefix, byte[] data, CreateMode mode)
            throws InterruptedException {
        String tag = UUID.randomUUID().toString();
        String base = parent + "/" + prefix + tag + "-";
        while (true) {
            try {
                return client.create(base, data, mode);
            } catch (PaddockException e) {
                if (e.code() == ErrorCode.NO_NODE) {
                    ensurePath(client, parent);
                    continue;
                }
                if (e.code() != ErrorCode.CONNECTION_LOSS && e.code() != ErrorCode.REQUEST_TIMEOUT) {
                    throw e;
                }
                String found = findTagged(client, parent, tag);
                if (found != null) {
                    return found;
                }
            }
        }
    }

    private static String findTagged(PaddockClient client, String parent, String tag) throws InterruptedException {
        while (true) {
            try {
                for (String child : client.getChildren(parent)) {
                    if (child.contains(tag)) {
                        return parent + "/" + child;
                    }
                }
                return null;
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.CONNECTION_LOSS && e.code() != ErrorCode.REQUEST_TIMEOUT) {
                    throw e;
                }
            }
        }
    }

    /** The server's sequence number: the last ten characters of a sequential node's name. */
    static long sequence(String name) {
        return Long.parseLong(name.substring(name.length() - 10));
    }

    /** Children in creation order (by sequence number). */
    static List<String> bySequence(List<String> children) {
        List<String> sorted = new ArrayList<>(children);
        sorted.sort(Comparator.comparingLong(Nodes::sequence));
        return sorted;
    }

    /** The last segment of a path. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
