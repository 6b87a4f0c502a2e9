package io.paddock.protocol;

/** Reserved xid values ({@code RequestHeader.xid} / {@code ReplyHeader.xid}). */
public final class Xid {
    /** A watch notification from the server. */
    public static final int NOTIFICATION = -1;
    /** A ping and its reply; the reply always carries this xid. */
    public static final int PING = -2;
    /** An auth packet and its reply. */
    public static final int AUTH = -4;
    /** setWatches as sent by the C client. */
    public static final int SET_WATCHES = -8;

    private Xid() {
    }
}
