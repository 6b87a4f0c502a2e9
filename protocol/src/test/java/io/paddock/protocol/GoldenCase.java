package io.paddock.protocol;

import java.util.function.Function;

/**
 * One golden-byte comparison: our record and Apache's record built from the same values, plus our
 * decoder for the record type.
 *
 * @param lastByteOptional the final byte may be absent on the wire (the handshake's readOnly), so
 *                         the prefix one byte short is itself a valid encoding
 */
record GoldenCase(String name, Record ours, org.apache.jute.Record theirs, Function<JuteInput, ?> reader,
                  boolean lastByteOptional) {

    static GoldenCase of(String name, Record ours, org.apache.jute.Record theirs, Function<JuteInput, ?> reader) {
        return new GoldenCase(name, ours, theirs, reader, false);
    }

    @Override
    public String toString() {
        return name;
    }
}
