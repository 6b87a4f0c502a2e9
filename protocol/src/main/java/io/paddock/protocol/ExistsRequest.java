package io.paddock.protocol;

/** Body of exists (3). */
public record ExistsRequest(String path, boolean watch) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static ExistsRequest readFrom(JuteInput in) {
        return new ExistsRequest(in.readString(), in.readBool());
    }
}
