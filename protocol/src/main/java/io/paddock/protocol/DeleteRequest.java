package io.paddock.protocol;

/** Body of delete (2). */
public record DeleteRequest(String path, int version) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }

    public static DeleteRequest readFrom(JuteInput in) {
        return new DeleteRequest(in.readString(), in.readInt());
    }
}
