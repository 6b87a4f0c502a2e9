package io.paddock.protocol;

/** Body of getData (4). */
public record GetDataRequest(String path, boolean watch) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static GetDataRequest readFrom(JuteInput in) {
        return new GetDataRequest(in.readString(), in.readBool());
    }
}
