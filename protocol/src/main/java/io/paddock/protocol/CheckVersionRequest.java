package io.paddock.protocol;

/** Body of check (13), valid only inside multi. */
public record CheckVersionRequest(String path, int version) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }

    public static CheckVersionRequest readFrom(JuteInput in) {
        return new CheckVersionRequest(in.readString(), in.readInt());
    }
}
