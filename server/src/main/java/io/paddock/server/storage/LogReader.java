package io.paddock.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a log segment record by record and says exactly where and how it is damaged, and
 * whether any intact record follows the damage (which tells a torn tail from damage inside).
 */
public final class LogReader {
    /** A record's offset in the file and its payload. */
    public record Record(long offset, byte[] payload) {
    }

    /** Receives the records of a segment in order. */
    public interface Visitor {
        void record(Record r);
    }

    /**
     * The outcome of a scan. {@code damage} is null for a clean segment; otherwise it says what is
     * wrong at {@code damageOffset}, and {@code intactAfterDamage} whether a valid record follows.
     */
    public record Scan(Path file, long firstZxid, long endOffset, String damage, long damageOffset,
                       boolean intactAfterDamage) {
        public boolean clean() {
            return damage == null;
        }
    }

    private LogReader() {
    }

    public static Scan scan(Path file, Visitor visitor) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new StorageException("log segment " + file + " is larger than 2 GiB");
            }
            buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read it all
            }
            buf.flip();
        }
        byte[] bytes = buf.array();
        int size = buf.limit();
        if (size < LogFormat.HEADER_BYTES) {
            return damaged(file, -1, 0, "truncated header (" + size + " bytes)", bytes, size, 0);
        }
        if (buf.getInt(0) != LogFormat.MAGIC || buf.getInt(4) != LogFormat.VERSION) {
            return damaged(file, -1, 0, "not a Paddock log segment (bad magic or version)", bytes, size, 0);
        }
        long firstZxid = buf.getLong(8);
        int pos = LogFormat.HEADER_BYTES;
        while (true) {
            if (size - pos < LogFormat.RECORD_OVERHEAD) {
                if (allZero(bytes, pos, size)) {
                    return new Scan(file, firstZxid, pos, null, -1, false);
                }
                return damaged(file, firstZxid, pos, "truncated record header", bytes, size, pos);
            }
            int length = buf.getInt(pos);
            int crc = buf.getInt(pos + 4);
            if (length == 0 && crc == 0) {
                return new Scan(file, firstZxid, pos, null, -1, false);
            }
            if (length < LogFormat.MIN_PAYLOAD || length > LogFormat.MAX_PAYLOAD) {
                return damaged(file, firstZxid, pos, "impossible record length " + length, bytes, size, pos);
            }
            if (length > size - pos - LogFormat.RECORD_OVERHEAD) {
                return damaged(file, firstZxid, pos, "record of " + length + " bytes runs past the end of the file",
                        bytes, size, pos);
            }
            int start = pos + LogFormat.RECORD_OVERHEAD;
            if (LogFormat.crc(bytes, start, length) != crc) {
                return damaged(file, firstZxid, pos, "checksum mismatch", bytes, size, pos);
            }
            byte[] payload = new byte[length];
            System.arraycopy(bytes, start, payload, 0, length);
            visitor.record(new Record(pos, payload));
            pos = start + length;
        }
    }

    private static Scan damaged(Path file, long firstZxid, long offset, String what, byte[] bytes, int size,
                                int from) {
        return new Scan(file, firstZxid, offset, what, offset, intactRecordAfter(bytes, size, from + 1));
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether any offset after the damage holds a record with a plausible length and a good checksum. */
    static boolean intactRecordAfter(byte[] bytes, int size, int from) {
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, size);
        for (int p = Math.max(from, LogFormat.HEADER_BYTES); p + LogFormat.RECORD_OVERHEAD <= size; p++) {
            int length = buf.getInt(p);
            if (length < LogFormat.MIN_PAYLOAD || length > size - p - LogFormat.RECORD_OVERHEAD) {
                continue;
            }
            if (LogFormat.crc(bytes, p + LogFormat.RECORD_OVERHEAD, length) == buf.getInt(p + 4)) {
                return true;
            }
        }
        return false;
    }
}
