package io.paddock.protocol;

/** Header of every client request after the handshake. */
public record RequestHeader(int xid, int type) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(xid);
        out.writeInt(type);
    }

    public static RequestHeader readFrom(JuteInput in) {
        return new RequestHeader(in.readInt(), in.readInt());
    }
}
