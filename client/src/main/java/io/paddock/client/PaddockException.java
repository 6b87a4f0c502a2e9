package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import java.util.List;

/**
 * An operation failed. {@link #code()} is the server's error code (or a client-side one such
 * as CONNECTION_LOSS, REQUEST_TIMEOUT or SESSION_EXPIRED), {@link #path()} the path the
 * operation was about, as the caller gave it. A failed multi also carries every op's result.
 * The message reads like Apache's: {@code KeeperErrorCode = NoNode for /a}.
 */
public class PaddockException extends RuntimeException {
    private final ErrorCode code;
    private final String path;
    private final transient List<MultiResult> results;

    public PaddockException(ErrorCode code, String path) {
        this(code, path, List.of(), null);
    }

    public PaddockException(ErrorCode code, String path, List<MultiResult> results, Throwable cause) {
        super(message(code, path), cause);
        this.code = code;
        this.path = path;
        this.results = results == null ? List.of() : List.copyOf(results);
    }

    private static String message(ErrorCode code, String path) {
        String text = "KeeperErrorCode = " + code.message();
        return path == null ? text : text + " for " + path;
    }

    public ErrorCode code() {
        return code;
    }

    /** The path of the failed operation (for a multi, of the op that failed), or null. */
    public String path() {
        return path;
    }

    /** For a failed multi, one result per op; otherwise empty. */
    public List<MultiResult> results() {
        return results;
    }

    /** The same failure, raised again with the current thread's stack for blocking callers. */
    PaddockException rethrown() {
        return new PaddockException(code, path, results, this);
    }
}
