package io.paddock.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;

/**
 * Registers service instances as ephemeral nodes {@code base/service/instance-...} holding the
 * instance's address. An instance stays registered exactly as long as the client's session: a
 * process that dies or is cut off disappears from every {@link ServiceCache} once the session
 * expires.
 */
public final class ServiceRegistry {
    private final PaddockClient client;
    private final String basePath;

    /** @param basePath the parent of all services, such as {@code /services} */
    public ServiceRegistry(PaddockClient client, String basePath) {
        this.client = client;
        this.basePath = basePath;
    }

    /** Registers an instance of {@code service} at {@code address}; returns it with its new id. */
    public ServiceInstance register(String service, String address) throws InterruptedException {
        String path = Nodes.createTagged(client, servicePath(service), "instance-", address.getBytes(UTF_8),
                CreateMode.EPHEMERAL_SEQUENTIAL);
        return new ServiceInstance(Nodes.name(path), address);
    }

    /** Removes a registration made by this client; does nothing if it is already gone. */
    public void unregister(String service, ServiceInstance instance) throws InterruptedException {
        try {
            client.delete(servicePath(service) + "/" + instance.id(), -1);
        } catch (PaddockException e) {
            if (e.code() != ErrorCode.NO_NODE) {
                throw e;
            }
        }
    }

    String servicePath(String service) {
        if (service.isEmpty() || service.contains("/")) {
            throw new IllegalArgumentException("bad service name " + service);
        }
        return basePath + "/" + service;
    }
}
