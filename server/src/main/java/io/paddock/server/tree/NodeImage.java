package io.paddock.server.tree;

import io.paddock.protocol.ACL;
import java.util.List;

/** A znode's persistent fields at one moment: what a snapshot stores. */
public record NodeImage(String path, byte[] data, List<ACL> acl, long czxid, long mzxid, long pzxid, long ctime,
                        long mtime, int version, int childCreates, int aversion, long ephemeralOwner) {
    static NodeImage of(String path, Node n) {
        return new NodeImage(path, n.data, n.acl, n.czxid, n.mzxid, n.pzxid, n.ctime, n.mtime, n.version,
                n.childCreates, n.aversion, n.ephemeralOwner);
    }

    NodeImage withPath(String p) {
        return new NodeImage(p, data, acl, czxid, mzxid, pzxid, ctime, mtime, version, childCreates, aversion,
                ephemeralOwner);
    }
}
