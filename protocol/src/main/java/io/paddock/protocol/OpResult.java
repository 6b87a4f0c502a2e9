package io.paddock.protocol;

/**
 * One result of a multi or multiRead. {@code type} is the result type (-1 for an error result),
 * {@code err} the code in its header, and {@code body} the record that follows, or null for the
 * types that carry none (delete, check).
 */
public record OpResult(int type, int err, Record body) {
    public static OpResult error(int err) {
        return new OpResult(OpCode.ERROR, err, new ErrorResponse(err));
    }
}
