package io.paddock.protocol;

/** Header of every server reply and notification after the handshake. */
public record ReplyHeader(int xid, long zxid, int err) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(xid);
        out.writeLong(zxid);
        out.writeInt(err);
    }

    public static ReplyHeader readFrom(JuteInput in) {
        return new ReplyHeader(in.readInt(), in.readLong(), in.readInt());
    }
}
