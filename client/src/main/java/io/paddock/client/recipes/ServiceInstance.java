package io.paddock.client.recipes;

/** One registered instance of a service: its id (the node name) and its address. */
public record ServiceInstance(String id, String address) {
}
