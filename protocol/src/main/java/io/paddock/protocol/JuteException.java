package io.paddock.protocol;

/**
 * A record could not be decoded: truncated input, an out-of-range length, or a value that the
 * protocol does not allow. Servers answer it with {@link ErrorCode#MARSHALLING_ERROR}.
 */
public final class JuteException extends RuntimeException {
    public JuteException(String message) {
        super(message);
    }
}
