package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Names bound to values under one root node: fixed names ({@link #bind}) that only one caller
 * can take, and unique generated names ({@link #bindUnique}) from the root's sequence counter,
 * optionally tied to the caller's session.
 */
public final class NamingService {
    private final PaddockClient client;
    private final String root;

    /** @param root the parent of all names, such as {@code /names}; created if missing */
    public NamingService(PaddockClient client, String root) {
        this.client = client;
        this.root = root;
    }

    /** Binds a name that is free; fails with NODE_EXISTS if someone holds it. */
    public void bind(String name, byte[] value) throws InterruptedException {
        String path = path(name);
        try {
            client.create(path, value, CreateMode.PERSISTENT);
        } catch (PaddockException e) {
            if (e.code() != ErrorCode.NO_NODE) {
                throw e;
            }
            Nodes.ensurePath(client, root);
            client.create(path, value, CreateMode.PERSISTENT);
        }
    }

    /**
     * Binds a new, never used name {@code prefix + sequence} (such as {@code worker-0000000007})
     * and returns it. An ephemeral name is released when this client's session ends.
     */
    public String bindUnique(String prefix, byte[] value, boolean ephemeral) throws InterruptedException {
        path(prefix + "0");
        Nodes.ensurePath(client, root);
        String created = client.create(root + "/" + prefix, value,
                ephemeral ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.PERSISTENT_SEQUENTIAL);
        return Nodes.name(created);
    }

    /** The value bound to a name, or null if it is not bound. */
    public byte[] lookup(String name) throws InterruptedException {
        try {
            return client.getData(path(name)).data();
        } catch (PaddockException e) {
            if (e.code() == ErrorCode.NO_NODE) {
                return null;
            }
            throw e;
        }
    }

    /** Releases a name; does nothing if it is not bound. */
    public void unbind(String name) throws InterruptedException {
        try {
            client.delete(path(name), -1);
        } catch (PaddockException e) {
            if (e.code() != ErrorCode.NO_NODE) {
                throw e;
            }
        }
    }

    /** Every bound name, sorted. */
    public List<String> list() throws InterruptedException {
        try {
            List<String> names = new ArrayList<>(client.getChildren(root));
            Collections.sort(names);
            return names;
        } catch (PaddockException e) {
            if (e.code() == ErrorCode.NO_NODE) {
                return List.of();
            }
            throw e;
        }
    }

    private String path(String name) {
        if (name == null || name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("bad name " + name);
        }
        return root + "/" + name;
    }
}
