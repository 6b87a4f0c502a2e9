package io.paddock.server.zab;

/**
 * One txn of the replicated history: its zxid and its encoded bytes (what goes to the log and over
 * the wire). {@code local} is an object the proposing server attaches for itself (the request
 * waiting for the commit); it never leaves the process and is null on other servers.
 */
public record Entry(long zxid, byte[] data, Object local) {
    public Entry {
        if (zxid <= 0 || data == null) {
            throw new IllegalArgumentException("entry needs a positive zxid and data, got " + Zxid.hex(zxid));
        }
    }

    public Entry withoutLocal() {
        return local == null ? this : new Entry(zxid, data, null);
    }

    @Override
    public String toString() {
        return "Entry[" + Zxid.hex(zxid) + ", " + data.length + " bytes]";
    }
}
