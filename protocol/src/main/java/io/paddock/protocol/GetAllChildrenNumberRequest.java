package io.paddock.protocol;

/** Body of getAllChildrenNumber (104). */
public record GetAllChildrenNumberRequest(String path) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
    }

    public static GetAllChildrenNumberRequest readFrom(JuteInput in) {
        return new GetAllChildrenNumberRequest(in.readString());
    }
}
