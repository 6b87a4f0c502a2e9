package io.paddock.server.zab;

/** A zxid is the epoch of the leader that proposed the txn (high 32 bits) and a counter within it. */
public final class Zxid {
    private Zxid() {
    }

    public static long make(long epoch, long counter) {
        assert epoch >= 0 && counter >= 0 && counter <= 0xFFFF_FFFFL : "epoch " + epoch + " counter " + counter;
        return (epoch << 32) | counter;
    }

    public static long epoch(long zxid) {
        return zxid >>> 32;
    }

    public static long counter(long zxid) {
        return zxid & 0xFFFF_FFFFL;
    }

    public static String hex(long zxid) {
        return "0x" + Long.toHexString(zxid);
    }
}
