package io.paddock.protocol;

/** Body of getACL (6). */
public record GetACLRequest(String path) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
    }

    public static GetACLRequest readFrom(JuteInput in) {
        return new GetACLRequest(in.readString());
    }
}
