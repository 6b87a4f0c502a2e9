package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.protocol.CreateMode;

/**
 * Cluster-wide unique, increasing ids from the sequence counter of one parent node. Each id
 * costs one sequential create (the node is deleted straight away). The server's counter never
 * goes back, even after deletes, so an id is never handed out twice; ids may skip numbers (a
 * create whose answer was lost to a disconnect). A parent node yields up to 2^31 ids.
 */
public final class IdGenerator {
    private final PaddockClient client;
    private final String path;

    /** @param path the counter's parent node, such as {@code /ids/orders}; created if missing */
    public IdGenerator(PaddockClient client, String path) {
        this.client = client;
        this.path = path;
    }

    /** The next id. */
    public long nextId() throws InterruptedException {
        String node = Nodes.createTagged(client, path, "id-", null, CreateMode.PERSISTENT_SEQUENTIAL);
        long id = Nodes.sequence(node);
        // The id is taken; the node itself is no longer needed.
        client.deleteAsync(node, -1);
        return id;
    }
}
