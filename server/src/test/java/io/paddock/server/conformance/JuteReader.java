package io.paddock.server.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads jute-encoded reply bodies. */
final class JuteReader {
    private final ByteBuffer buffer;

    JuteReader(byte[] bytes) {
        this.buffer = ByteBuffer.wrap(bytes);
    }

    int i32() {
        return buffer.getInt();
    }

    long i64() {
        return buffer.getLong();
    }

    boolean bool() {
        return buffer.get() != 0;
    }

    byte[] buf() {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    String str() {
        byte[] bytes = buf();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    List<String> strings() {
        int count = i32();
        List<String> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(str());
        }
        return result;
    }

    RawStat stat() {
        return new RawStat(i64(), i64(), i64(), i64(), i32(), i32(), i32(), i64(), i32(), i32(), i64());
    }

    int remaining() {
        return buffer.remaining();
    }
}
