package io.paddock.server.tree;

/**
 * The holder of watches: a client connection. The registry uses it only as an identity; the
 * apply layer delivers events to it.
 */
public interface Watcher {
    /** Session id shown by the wchc/wchp four-letter words. */
    long sessionId();
}
