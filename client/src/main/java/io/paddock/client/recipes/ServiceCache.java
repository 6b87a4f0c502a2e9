package io.paddock.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.paddock.client.PaddockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live list of a service's instances, kept current through a child watch, with load
 * balancing over it. {@link #instances()} never blocks; it is the list as of the last change
 * the server reported.
 */
public final class ServiceCache implements AutoCloseable {
    private final ChildrenCache cache;
    private final List<Consumer<List<ServiceInstance>>> listeners = new CopyOnWriteArrayList<>();
    private volatile List<ServiceInstance> instances = List.of();

    public ServiceCache(PaddockClient client, String basePath, String service) {
        String path = new ServiceRegistry(client, basePath).servicePath(service);
        this.cache = new ChildrenCache(client, path, this::changed);
    }

    /** Loads the current instances and starts following changes. */
    public ServiceCache start() throws InterruptedException {
        cache.start();
        changed();
        return this;
    }

    /** The instances registered now, ordered by id. */
    public List<ServiceInstance> instances() {
        return instances;
    }

    /** One instance chosen by {@code picker}, or empty when none is registered. */
    public Optional<ServiceInstance> pick(InstancePicker picker) {
        return picker.pick(instances);
    }

    /** Told of each new list, on the client's event thread. */
    public void addListener(Consumer<List<ServiceInstance>> listener) {
        listeners.add(listener);
    }

    private synchronized void changed() {
        List<ServiceInstance> list = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : cache.snapshot().entrySet()) {
            list.add(new ServiceInstance(e.getKey(), new String(e.getValue(), UTF_8)));
        }
        List<ServiceInstance> now = List.copyOf(list);
        if (now.equals(instances)) {
            return;
        }
        instances = now;
        listeners.forEach(l -> l.accept(now));
    }

    @Override
    public void close() {
        cache.close();
    }
}
