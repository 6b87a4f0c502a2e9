package io.paddock.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes jute's binary encoding (big-endian, length-prefixed buffers and strings, -1 for null)
 * into a growable byte array. Not thread-safe: one writer per message.
 */
public final class JuteOutput {
    private byte[] bytes;
    private int size;
    private int limit = Integer.MAX_VALUE - 8;

    public JuteOutput(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    public JuteOutput() {
        this(256);
    }

    private void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > limit) {
            throw new RecordTooLargeException("encoding needs more than " + limit + " bytes");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(needed, bytes.length * 2L)));
        }
    }

    /**
     * Caps the bytes this output may hold: writing past {@code maxBytes} throws
     * {@link RecordTooLargeException} before anything beyond it is allocated. A server uses it so
     * that a reply too large to send is never built.
     */
    public void limit(int maxBytes) {
        this.limit = maxBytes;
    }

    /** Forgets everything written, keeping the buffer for reuse. */
    public void reset() {
        size = 0;
    }

    public int size() {
        return size;
    }

    /** The backing array; only the first {@link #size()} bytes are meaningful. */
    public byte[] array() {
        return bytes;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    public void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    public void writeBool(boolean value) {
        writeByte(value ? 1 : 0);
    }

    public void writeInt(int value) {
        ensure(4);
        bytes[size] = (byte) (value >>> 24);
        bytes[size + 1] = (byte) (value >>> 16);
        bytes[size + 2] = (byte) (value >>> 8);
        bytes[size + 3] = (byte) value;
        size += 4;
    }

    /** Overwrites four bytes already written, e.g. a frame length once the body is known. */
    public void setInt(int offset, int value) {
        if (offset < 0 || offset + 4 > size) {
            throw new IndexOutOfBoundsException("offset " + offset + " size " + size);
        }
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    public void writeLong(long value) {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
    }

    /** A jute {@code buffer}: length then bytes; null is length -1. */
    public void writeBuffer(byte[] value) {
        if (value == null) {
            writeInt(-1);
            return;
        }
        writeInt(value.length);
        writeRaw(value, 0, value.length);
    }

    public void writeRaw(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    /** A jute {@code ustring}: UTF-8 byte count then bytes; null is length -1. */
    public void writeString(String value) {
        if (value == null) {
            writeInt(-1);
            return;
        }
        writeBuffer(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code vector<ustring>}: count then elements; null is count -1. */
    public void writeStringVector(List<String> values) {
        if (values == null) {
            writeInt(-1);
            return;
        }
        writeInt(values.size());
        for (String value : values) {
            writeString(value);
        }
    }

    /** A {@code vector<record>}: count then elements; null is count -1. */
    public void writeRecordVector(List<? extends Record> values) {
        if (values == null) {
            writeInt(-1);
            return;
        }
        writeInt(values.size());
        for (Record value : values) {
            value.writeTo(this);
        }
    }

    public void writeRecord(Record record) {
        record.writeTo(this);
    }
}
