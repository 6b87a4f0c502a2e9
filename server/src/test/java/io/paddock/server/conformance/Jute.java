package io.paddock.server.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built jute encoding (big-endian; -1 length for null strings and buffers). */
final class Jute {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Jute body() {
        return new Jute();
    }

    Jute u8(int value) {
        out.write(value);
        return this;
    }

    Jute bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    Jute i32(int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(value >>> shift);
        }
        return this;
    }

    Jute i64(long value) {
        i32((int) (value >>> 32));
        return i32((int) value);
    }

    Jute buf(byte[] bytes) {
        if (bytes == null) {
            return i32(-1);
        }
        i32(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    Jute str(String text) {
        return buf(text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    Jute raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** One ACL record (perms, scheme, id); callers write the vector count themselves. */
    Jute acl(int perms, String scheme, String id) {
        return i32(perms).str(scheme).str(id);
    }

    /** A one-entry ACL vector world:anyone with all permissions. */
    Jute openAcl() {
        return i32(1).acl(31, "world", "anyone");
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    // ---- request bodies used by several tests ----

    static byte[] path(String path) {
        return body().str(path).bytes();
    }

    static byte[] pathWatch(String path, boolean watch) {
        return body().str(path).bool(watch).bytes();
    }

    static byte[] create(String path, byte[] data, int flags) {
        return body().str(path).buf(data).openAcl().i32(flags).bytes();
    }

    static byte[] createTtl(String path, byte[] data, int flags, long ttl) {
        return body().str(path).buf(data).openAcl().i32(flags).i64(ttl).bytes();
    }

    static byte[] delete(String path, int version) {
        return body().str(path).i32(version).bytes();
    }

    static byte[] setData(String path, byte[] data, int version) {
        return body().str(path).buf(data).i32(version).bytes();
    }

    static byte[] pathInt(String path, int value) {
        return body().str(path).i32(value).bytes();
    }

    static byte[] auth(String scheme, String credential) {
        return body().i32(0).str(scheme).buf(credential.getBytes(StandardCharsets.UTF_8)).bytes();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
