package io.paddock.client;

import io.paddock.protocol.Stat;

/** The outcome of a create that returns the node's Stat: the path actually created and its Stat. */
public record Created(String path, Stat stat) {
}
