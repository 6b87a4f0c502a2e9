package io.paddock.protocol;

/** A bare error code; also the 4-byte body of an addWatch reply. */
public record ErrorResponse(int err) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(err);
    }

    public static ErrorResponse readFrom(JuteInput in) {
        return new ErrorResponse(in.readInt());
    }
}
