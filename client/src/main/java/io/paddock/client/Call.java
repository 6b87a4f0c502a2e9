package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.protocol.Record;
import io.paddock.protocol.RequestHeader;
import java.util.concurrent.CompletableFuture;

/**
 * One request on its way: the encoded frame (built on the caller's thread), how to read its
 * reply, and the future the reply completes. Everything but construction happens on the
 * connection's event loop.
 */
final class Call<T> {
    /** Turns a reply into a value or a PaddockException. Runs on the event loop. */
    @FunctionalInterface
    interface ReplyReader<T> {
        T read(int err, JuteInput body);
    }

    /** Offset of the xid inside the frame, after the 4-byte length. */
    private static final int XID_OFFSET = 4;

    final int opCode;
    final String path;
    private final ReplyReader<T> reader;
    private final JuteOutput frame;
    final CompletableFuture<T> result = new CompletableFuture<>();
    int xid;
    long deadlineNanos;

    Call(int opCode, Record body, String path, ReplyReader<T> reader) {
        this.opCode = opCode;
        this.path = path;
        this.reader = reader;
        this.frame = new JuteOutput(64);
        frame.writeInt(0);
        new RequestHeader(0, opCode).writeTo(frame);
        if (body != null) {
            body.writeTo(frame);
        }
        frame.setInt(0, frame.size() - 4);
    }

    /** Payload bytes of the frame, as the server's jute.maxbuffer counts them. */
    int payloadSize() {
        return frame.size() - 4;
    }

    /** The frame with the given xid stamped in; only its first {@code size()} bytes count. */
    JuteOutput frame(int xid) {
        this.xid = xid;
        frame.setInt(XID_OFFSET, xid);
        return frame;
    }

    /**
     * Completes the call from its reply. A malformed body fails the call and propagates the
     * decoding error, so the caller can drop a connection that no longer makes sense.
     */
    void complete(int err, JuteInput body) {
        if (result.isDone()) {
            return;
        }
        try {
            result.complete(reader.read(err, body));
        } catch (PaddockException e) {
            result.completeExceptionally(e);
        } catch (RuntimeException e) {
            result.completeExceptionally(new PaddockException(ErrorCode.MARSHALLING_ERROR, path, null, e));
            throw e;
        }
    }

    void fail(ErrorCode code) {
        result.completeExceptionally(new PaddockException(code, path));
    }

    boolean isDone() {
        return result.isDone();
    }
}
