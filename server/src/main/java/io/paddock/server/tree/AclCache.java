package io.paddock.server.tree;

import io.paddock.protocol.ACL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns ACL lists so that the many nodes sharing one list (usually OPEN_ACL_UNSAFE) hold one
 * instance. Apply thread only.
 */
final class AclCache {
    private final Map<List<ACL>, List<ACL>> lists = new HashMap<>();

    List<ACL> intern(List<ACL> acl) {
        List<ACL> existing = lists.get(acl);
        if (existing != null) {
            return existing;
        }
        List<ACL> copy = List.copyOf(acl);
        lists.put(copy, copy);
        return copy;
    }
}
