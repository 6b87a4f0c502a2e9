package io.paddock.server.txn;

import io.paddock.protocol.ACL;
import io.paddock.server.tree.Watcher;
import java.util.List;
import java.util.Set;

/**
 * One watch event produced by applying a txn: the event type and path, the ACL that decides who
 * may see it (the node's, the deleted node's former one, or the parent's), and who watched.
 */
public record Notification(int type, String path, long zxid, List<ACL> acl, Set<Watcher> watchers) {
}
