package io.paddock.server.zab;

/** A zxid is the epoch of the leader that proposed the txn (high 32 bits) and a counter within it. */
public final class Zxid {
    /**
     * The largest epoch a server accepts from a peer. Zxids are compared as signed longs, so an
     * epoch must stay below 2^31; one below that again leaves room for the next epoch. A real
     * ensemble starts at epoch 1 and adds one per election, so it never comes near.
     */
    public static final long MAX_EPOCH = 0x7FFF_FFFEL;

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

    /** Whether {@code zxid} is one a server may hold: not negative, of an epoch up to {@link #MAX_EPOCH}. */
    public static boolean inRange(long zxid) {
        return zxid >= 0 && epoch(zxid) <= MAX_EPOCH;
    }

    public static String hex(long zxid) {
        return "0x" + Long.toHexString(zxid);
    }
}
