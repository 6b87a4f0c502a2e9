package io.paddock.protocol;

/** Reply to create (1): the path actually created. */
public record CreateResponse(String path) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
    }

    public static CreateResponse readFrom(JuteInput in) {
        return new CreateResponse(in.readString());
    }
}
