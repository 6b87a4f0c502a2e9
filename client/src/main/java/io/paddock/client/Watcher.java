package io.paddock.client;

/**
 * Receives watch notifications and, when registered as the client's default watcher, session
 * state changes. Called on the client's single event thread, one event at a time, in the order
 * the server produced them; a slow watcher delays every later event and async completion.
 */
@FunctionalInterface
public interface Watcher {
    void process(WatchedEvent event);
}
