package io.paddock.client;

import io.paddock.protocol.Stat;

/** A node's data (null when the node was created or set with null) and its Stat. */
public record NodeData(byte[] data, Stat stat) {
}
