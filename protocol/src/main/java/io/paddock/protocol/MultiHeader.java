package io.paddock.protocol;

/** Precedes each operation or result of a multi; {@code done} marks the terminator. */
public record MultiHeader(int type, boolean done, int err) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(type);
        out.writeBool(done);
        out.writeInt(err);
    }

    public static MultiHeader readFrom(JuteInput in) {
        return new MultiHeader(in.readInt(), in.readBool(), in.readInt());
    }
}
