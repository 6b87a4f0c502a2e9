package io.paddock.protocol;

/** Body of setData (5). */
public record SetDataRequest(String path, byte[] data, int version) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeInt(version);
    }

    public static SetDataRequest readFrom(JuteInput in) {
        return new SetDataRequest(in.readString(), in.readBuffer(), in.readInt());
    }
}
