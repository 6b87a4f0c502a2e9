package io.paddock.protocol;

/** Body of getChildren2 (12). */
public record GetChildren2Request(String path, boolean watch) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static GetChildren2Request readFrom(JuteInput in) {
        return new GetChildren2Request(in.readString(), in.readBool());
    }
}
