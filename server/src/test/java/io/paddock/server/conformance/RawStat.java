package io.paddock.server.conformance;

/** The 68-byte Stat record, fields in wire order. */
record RawStat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion, int aversion,
        long ephemeralOwner, int dataLength, int numChildren, long pzxid) {
}
