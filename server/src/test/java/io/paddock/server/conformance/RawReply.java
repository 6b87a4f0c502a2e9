package io.paddock.server.conformance;

/** One server frame after the handshake: ReplyHeader plus whatever body followed it. */
record RawReply(int xid, long zxid, int err, byte[] body) {
    static final int NOTIFICATION_XID = -1;
    static final int PING_XID = -2;

    static RawReply parse(byte[] frame) {
        if (frame.length < 16) {
            throw new AssertionError("frame shorter than a ReplyHeader: " + frame.length + " bytes");
        }
        JuteReader in = new JuteReader(frame);
        int xid = in.i32();
        long zxid = in.i64();
        int err = in.i32();
        byte[] body = java.util.Arrays.copyOfRange(frame, 16, frame.length);
        return new RawReply(xid, zxid, err, body);
    }

    JuteReader reader() {
        return new JuteReader(body);
    }

    boolean isNotification() {
        return xid == NOTIFICATION_XID;
    }

    /** "Type path" for a notification frame, checking its fixed fields on the way. */
    String event() {
        if (!isNotification() || err != 0) {
            throw new AssertionError("not a notification: " + this);
        }
        JuteReader in = reader();
        int type = in.i32();
        int state = in.i32();
        String path = in.str();
        if (state != 3) {
            throw new AssertionError("notification state " + state + " (expected 3 SyncConnected)");
        }
        if (in.remaining() != 0) {
            throw new AssertionError("trailing bytes after WatcherEvent: " + in.remaining());
        }
        return org.apache.zookeeper.Watcher.Event.EventType.fromInt(type) + " " + path;
    }

    @Override
    public String toString() {
        return "RawReply[xid=" + xid + ", zxid=" + zxid + ", err=" + err + ", body=" + body.length + " bytes]";
    }
}
