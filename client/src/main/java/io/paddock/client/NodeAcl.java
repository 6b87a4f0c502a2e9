package io.paddock.client;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Stat;
import java.util.List;

/** A node's ACL and its Stat. */
public record NodeAcl(List<ACL> acl, Stat stat) {
}
