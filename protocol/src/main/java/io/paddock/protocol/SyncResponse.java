package io.paddock.protocol;

/** Reply to sync (9): the request path echoed. */
public record SyncResponse(String path) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
    }

    public static SyncResponse readFrom(JuteInput in) {
        return new SyncResponse(in.readString());
    }
}
