package io.paddock.protocol;

/** Body of addWatch (106); mode is an {@link AddWatchMode} code. */
public record AddWatchRequest(String path, int mode) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeInt(mode);
    }

    public static AddWatchRequest readFrom(JuteInput in) {
        return new AddWatchRequest(in.readString(), in.readInt());
    }
}
