package io.paddock.protocol;

/** Body of checkWatches (17); type is a {@link WatcherType} code. */
public record CheckWatchesRequest(String path, int type) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }

    public static CheckWatchesRequest readFrom(JuteInput in) {
        return new CheckWatchesRequest(in.readString(), in.readInt());
    }
}
