package io.paddock.server.differential;

import org.apache.zookeeper.data.Stat;

/**
 * A Stat as seen by one client, with the ephemeral owner already translated into a
 * server-independent name ("0", "s3", "s3(self)"). The zxid and time fields keep their raw
 * values: they are compared by order, not by value (see {@link TraceComparator}).
 */
record StatSnapshot(long czxid, long mzxid, long pzxid, long ctime, long mtime, int version, int cversion,
        int aversion, int dataLength, int numChildren, String owner) {

    static StatSnapshot of(Stat s, String owner) {
        return new StatSnapshot(s.getCzxid(), s.getMzxid(), s.getPzxid(), s.getCtime(), s.getMtime(), s.getVersion(),
                s.getCversion(), s.getAversion(), s.getDataLength(), s.getNumChildren(), owner);
    }

    /** The fields that must be equal on both servers. */
    String exactFields() {
        return "v=" + version + " cv=" + cversion + " av=" + aversion + " len=" + dataLength + " nc=" + numChildren
                + " owner=" + owner;
    }

    StatSnapshot withZxids(long c, long m, long p) {
        return new StatSnapshot(c, m, p, ctime, mtime, version, cversion, aversion, dataLength, numChildren, owner);
    }

    StatSnapshot withTimes(long c, long m) {
        return new StatSnapshot(czxid, mzxid, pzxid, c, m, version, cversion, aversion, dataLength, numChildren, owner);
    }

    StatSnapshot withVersion(int v) {
        return new StatSnapshot(czxid, mzxid, pzxid, ctime, mtime, v, cversion, aversion, dataLength, numChildren, owner);
    }

    StatSnapshot withOwner(String o) {
        return new StatSnapshot(czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, dataLength, numChildren, o);
    }

    @Override
    public String toString() {
        return "{" + exactFields() + " czxid=0x" + Long.toHexString(czxid) + " mzxid=0x" + Long.toHexString(mzxid)
                + " pzxid=0x" + Long.toHexString(pzxid) + " ctime=" + ctime + " mtime=" + mtime + "}";
    }
}
