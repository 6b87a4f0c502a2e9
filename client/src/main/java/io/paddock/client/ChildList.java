package io.paddock.client;

import io.paddock.protocol.Stat;
import java.util.List;

/** A node's children (bare names, unordered) and the node's own Stat. */
public record ChildList(List<String> children, Stat stat) {
}
