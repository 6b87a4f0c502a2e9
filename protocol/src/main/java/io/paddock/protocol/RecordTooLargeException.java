package io.paddock.protocol;

/**
 * Encoding a record would exceed the limit set on its {@link JuteOutput}; thrown before the
 * bytes beyond the limit are allocated.
 */
public final class RecordTooLargeException extends RuntimeException {
    public RecordTooLargeException(String message) {
        super(message);
    }
}
