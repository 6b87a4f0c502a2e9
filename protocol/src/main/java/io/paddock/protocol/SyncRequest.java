package io.paddock.protocol;

/** Body of sync (9). */
public record SyncRequest(String path) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
    }

    public static SyncRequest readFrom(JuteInput in) {
        return new SyncRequest(in.readString());
    }
}
