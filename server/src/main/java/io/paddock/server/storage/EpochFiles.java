package io.paddock.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The ensemble's epoch files in dataDir, {@code acceptedEpoch} and {@code currentEpoch}: a decimal
 * number each, as Apache ZooKeeper keeps them. Written atomically (temp file, fsync, rename,
 * directory fsync) so a crash leaves the old value or the new one, never a torn one.
 */
public final class EpochFiles {
    public static final String ACCEPTED = "acceptedEpoch";
    public static final String CURRENT = "currentEpoch";

    private EpochFiles() {
    }

    /** The stored epoch, or -1 when the file does not exist yet. */
    public static long read(Path dataDir, String name) throws IOException {
        Path file = dataDir.resolve(name);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new StorageException(file + " holds '" + text + "', not an epoch number");
        }
    }

    public static void write(Path dataDir, String name, long epoch) throws IOException {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
        Files.createDirectories(dataDir);
        DurableFiles.writeAtomically(dataDir.resolve(name), Long.toString(epoch).getBytes(StandardCharsets.US_ASCII));
    }
}
