package io.paddock.server.storage;

import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The log segment format. A segment {@code log.<hex first zxid>} starts with a 16-byte header
 * (magic "PDKL", version, first zxid); then records {@code [int length][int crc32c][payload]}
 * follow back to back, the payload being a {@link TxnCodec} txn. A zero length marks the end
 * (the rest is preallocated zeros).
 */
final class LogFormat {
    static final int MAGIC = 0x50444B4C;
    static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int RECORD_OVERHEAD = 8;
    /** Smallest possible payload: the txn header (28 bytes) and a type byte. */
    static final int MIN_PAYLOAD = 29;
    /** No txn comes near this; a larger length is damage, not data. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;
    static final String PREFIX = "log.";

    private LogFormat() {
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static String fileName(long firstZxid) {
        return PREFIX + Long.toHexString(firstZxid);
    }

    /** The first zxid named by a segment file, or -1 if the name is not a segment's. */
    static long firstZxid(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(PREFIX.length()), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The zxid inside a txn payload (after sessionId and cxid). */
    static long zxidOf(byte[] payload) {
        long z = 0;
        for (int i = 12; i < 20; i++) {
            z = (z << 8) | (payload[i] & 0xFF);
        }
        return z;
    }
}
