package io.paddock.protocol;

/** Body of auth (100). */
public record AuthPacket(int type, String scheme, byte[] auth) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(type);
        out.writeString(scheme);
        out.writeBuffer(auth);
    }

    public static AuthPacket readFrom(JuteInput in) {
        return new AuthPacket(in.readInt(), in.readString(), in.readBuffer());
    }
}
