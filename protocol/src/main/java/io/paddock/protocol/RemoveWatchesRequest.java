package io.paddock.protocol;

/** Body of removeWatches (18); type is a {@link WatcherType} code. */
public record RemoveWatchesRequest(String path, int type) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }

    public static RemoveWatchesRequest readFrom(JuteInput in) {
        return new RemoveWatchesRequest(in.readString(), in.readInt());
    }
}
