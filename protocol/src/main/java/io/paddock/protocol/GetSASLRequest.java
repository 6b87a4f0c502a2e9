package io.paddock.protocol;

/** Body of sasl (102). */
public record GetSASLRequest(byte[] token) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeBuffer(token);
    }

    public static GetSASLRequest readFrom(JuteInput in) {
        return new GetSASLRequest(in.readBuffer());
    }
}
