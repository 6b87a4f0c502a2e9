package io.paddock.protocol;

/** An identity: a scheme and an id within it, such as {@code digest:alice:...}. */
public record Id(String scheme, String id) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(scheme);
        out.writeString(id);
    }

    public static Id readFrom(JuteInput in) {
        return new Id(in.readString(), in.readString());
    }
}
