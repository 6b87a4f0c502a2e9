package io.paddock.protocol;

import java.util.List;

/** Body of setWatches2 (105): setWatches plus the persistent kinds. */
public record SetWatches2(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches, List<String> persistentWatches, List<String> persistentRecursiveWatches) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
        out.writeStringVector(persistentWatches);
        out.writeStringVector(persistentRecursiveWatches);
    }

    public static SetWatches2 readFrom(JuteInput in) {
        return new SetWatches2(in.readLong(), in.readStringVector(), in.readStringVector(), in.readStringVector(), in.readStringVector(), in.readStringVector());
    }
}
