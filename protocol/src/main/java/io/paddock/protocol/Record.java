package io.paddock.protocol;

/** A jute record: fields written back to back in declaration order, with no tag or length. */
public interface Record {
    void writeTo(JuteOutput out);

    /** Encodes this record alone, for tests and small messages. */
    default byte[] toBytes() {
        JuteOutput out = new JuteOutput(64);
        writeTo(out);
        return out.toByteArray();
    }
}
