package io.paddock.server.tree;

import io.paddock.protocol.ACL;
import java.util.List;

/** A znode's persistent fields at one moment: what a snapshot stores. */
public record NodeImage(String path, byte[] data, List<ACL> acl, long czxid, long mzxid, long pzxid, long ctime,
                        long mtime, int version, int childCreates, int aversion, long ephemeralOwner) {
    static NodeImage of(Node n) {
        return new NodeImage(n.path, n.data, n.acl, n.czxid, n.mzxid, n.pzxid, n.ctime, n.mtime, n.version,
                n.childCreates, n.aversion, n.ephemeralOwner);
    }
}
