package io.paddock.server.storage;

/** The data on disk cannot be used as it is; the message names the file and the offset. */
public final class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
