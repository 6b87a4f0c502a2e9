package io.paddock.protocol;

/** A watch notification body: event type, keeper state, absolute path. */
public record WatcherEvent(int type, int state, String path) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(type);
        out.writeInt(state);
        out.writeString(path);
    }

    public static WatcherEvent readFrom(JuteInput in) {
        return new WatcherEvent(in.readInt(), in.readInt(), in.readString());
    }
}
