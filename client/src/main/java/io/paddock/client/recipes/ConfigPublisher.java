package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.PathRules;

/**
 * Publishes configuration: the data of one persistent node. Every {@link ConfigSubscriber} of
 * the node sees each published value (or, if values follow each other quickly, at least the
 * last one).
 */
public final class ConfigPublisher {
    private final PaddockClient client;
    private final String path;

    public ConfigPublisher(PaddockClient client, String path) {
        this.client = client;
        this.path = path;
    }

    /** Sets the configuration, creating the node (and its parents) the first time. */
    public void publish(byte[] config) throws InterruptedException {
        while (true) {
            try {
                client.setData(path, config, -1);
                return;
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NO_NODE) {
                    throw e;
                }
            }
            Nodes.ensurePath(client, PathRules.parent(path));
            try {
                client.create(path, config, CreateMode.PERSISTENT);
                return;
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NODE_EXISTS) {
                    throw e;
                }
            }
        }
    }
}
