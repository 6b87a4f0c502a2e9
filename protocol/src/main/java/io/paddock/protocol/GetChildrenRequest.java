package io.paddock.protocol;

/** Body of getChildren (8). */
public record GetChildrenRequest(String path, boolean watch) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static GetChildrenRequest readFrom(JuteInput in) {
        return new GetChildrenRequest(in.readString(), in.readBool());
    }
}
