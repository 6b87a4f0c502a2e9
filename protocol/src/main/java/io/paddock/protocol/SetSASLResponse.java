package io.paddock.protocol;

/** Reply to sasl (102). */
public record SetSASLResponse(byte[] token) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeBuffer(token);
    }

    public static SetSASLResponse readFrom(JuteInput in) {
        return new SetSASLResponse(in.readBuffer());
    }
}
