package io.paddock.server.prep;

import io.paddock.protocol.ACL;
import io.paddock.server.tree.Node;
import java.util.List;

/** What prep needs to know of a node, as it will be once every pending txn is applied. */
record NodeView(List<ACL> acl, int version, int aversion, int childCreates, int numChildren, long ephemeralOwner) {
    static NodeView of(Node node) {
        return new NodeView(node.acl(), node.version(), node.aversion(), node.childCreates(), node.numChildren(),
                node.ephemeralOwner());
    }

    NodeView withVersion(int v) {
        return new NodeView(acl, v, aversion, childCreates, numChildren, ephemeralOwner);
    }

    NodeView withAcl(List<ACL> newAcl, int newAversion) {
        return new NodeView(newAcl, version, newAversion, childCreates, numChildren, ephemeralOwner);
    }

    NodeView withChildAdded() {
        return new NodeView(acl, version, aversion, childCreates + 1, numChildren + 1, ephemeralOwner);
    }

    NodeView withChildRemoved() {
        return new NodeView(acl, version, aversion, childCreates, numChildren - 1, ephemeralOwner);
    }
}
