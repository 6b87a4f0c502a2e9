package io.paddock.protocol;

import java.util.List;

/** Body of setWatches (101): watches re-registered after a reconnect. */
public record SetWatches(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
    }

    public static SetWatches readFrom(JuteInput in) {
        return new SetWatches(in.readLong(), in.readStringVector(), in.readStringVector(), in.readStringVector());
    }
}
