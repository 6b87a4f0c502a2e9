package io.paddock.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Reads jute's binary encoding from a byte buffer. Every malformed input (running out of bytes,
 * a length below -1 or above the configured limit) raises {@link JuteException}; nothing here
 * allocates more than the input could actually hold.
 */
public final class JuteInput {
    /** Apache's default limit for one buffer or string: jute.maxbuffer + its extra size. */
    public static final int DEFAULT_MAX_FIELD_BYTES = 0xFFFFF + 0xFFFFF;

    private final ByteBuffer buf;
    private final int maxFieldBytes;

    public JuteInput(ByteBuffer buf, int maxFieldBytes) {
        this.buf = buf;
        this.maxFieldBytes = maxFieldBytes;
    }

    public JuteInput(ByteBuffer buf) {
        this(buf, DEFAULT_MAX_FIELD_BYTES);
    }

    public JuteInput(byte[] bytes) {
        this(ByteBuffer.wrap(bytes));
    }

    public int remaining() {
        return buf.remaining();
    }

    private void need(int n, String what) {
        if (buf.remaining() < n) {
            throw new JuteException("truncated input reading " + what + ": need " + n
                    + " bytes, have " + buf.remaining());
        }
    }

    public byte readByte() {
        need(1, "byte");
        return buf.get();
    }

    /** Any non-zero byte is true, as Apache's reader does. */
    public boolean readBool() {
        need(1, "boolean");
        return buf.get() != 0;
    }

    public int readInt() {
        need(4, "int");
        return buf.getInt();
    }

    public long readLong() {
        need(8, "long");
        return buf.getLong();
    }

    private int readLength(String what) {
        int length = readInt();
        if (length < -1) {
            throw new JuteException("negative length " + length + " for " + what);
        }
        if (length > maxFieldBytes) {
            throw new JuteException("length " + length + " for " + what + " exceeds " + maxFieldBytes);
        }
        return length;
    }

    public byte[] readBuffer() {
        int length = readLength("buffer");
        if (length == -1) {
            return null;
        }
        need(length, "buffer body");
        byte[] out = new byte[length];
        buf.get(out);
        return out;
    }

    public String readString() {
        int length = readLength("string");
        if (length == -1) {
            return null;
        }
        need(length, "string body");
        String value;
        if (buf.hasArray()) {
            value = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
        } else {
            byte[] raw = new byte[length];
            buf.get(raw);
            value = new String(raw, StandardCharsets.UTF_8);
        }
        return value;
    }

    /**
     * Reads a vector count. -1 is null; any other negative count is read as empty, as jute does.
     * A count that cannot fit in the remaining bytes fails before anything is allocated.
     */
    private int readCount(int minElementBytes) {
        int count = readInt();
        if (count < -1) {
            return 0;
        }
        if (count > 0 && (long) count * minElementBytes > buf.remaining()) {
            throw new JuteException("vector count " + count + " exceeds the remaining " + buf.remaining() + " bytes");
        }
        return count;
    }

    public List<String> readStringVector() {
        int count = readCount(4);
        if (count == -1) {
            return null;
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(readString());
        }
        return Collections.unmodifiableList(out);
    }

    public <T extends Record> List<T> readRecordVector(Function<JuteInput, T> reader, int minElementBytes) {
        int count = readCount(minElementBytes);
        if (count == -1) {
            return null;
        }
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(reader.apply(this));
        }
        return Collections.unmodifiableList(out);
    }
}
