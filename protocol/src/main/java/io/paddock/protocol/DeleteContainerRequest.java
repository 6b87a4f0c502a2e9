package io.paddock.protocol;

/** Body of deleteContainer (20): a buffer holding the path, identical on the wire to a ustring. */
public record DeleteContainerRequest(String path) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
    }

    public static DeleteContainerRequest readFrom(JuteInput in) {
        return new DeleteContainerRequest(in.readString());
    }
}
