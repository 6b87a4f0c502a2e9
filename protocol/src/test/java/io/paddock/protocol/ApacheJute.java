package io.paddock.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;

/** Runs Apache ZooKeeper's own jute archives, the reference our encoding must match byte for byte. */
final class ApacheJute {
    private ApacheJute() {
    }

    /** The bytes Apache's BinaryOutputArchive writes for the record. */
    static byte[] serialize(org.apache.jute.Record record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            record.serialize(BinaryOutputArchive.getArchive(bytes), "record");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes bytes with Apache's BinaryInputArchive into a fresh instance of {@code type} and
     * insists that every byte was consumed.
     */
    static <T extends org.apache.jute.Record> T deserialize(byte[] bytes, Class<T> type) throws IOException {
        T record;
        try {
            record = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no public no-arg constructor on " + type, e);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        record.deserialize(BinaryInputArchive.getArchive(in), "record");
        if (in.available() != 0) {
            throw new IllegalStateException(type.getSimpleName() + " left " + in.available() + " bytes unread");
        }
        return record;
    }
}
