package io.paddock.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a {@code POST <commandURL>/restore} before the admin server's aggregation (whose 64 KiB
 * would not hold a snapshot): the head is checked at once ({@link RestoreCommand#admit}), so a
 * refused caller's body is never stored, and an admitted body goes to a file as it arrives. Every
 * other request passes on untouched. One per connection.
 */
final class RestoreUpload extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreUpload.class);

    private final String commandUrl;
    private final RestoreCommand command;
    /** The body being stored, or null. */
    private FileChannel file;
    private Path path;
    private String askedAs;
    private boolean keepAlive;
    /** The rest of a refused request's body is dropped. */
    private boolean discarding;
    /** The refusal to answer once the body is dropped, or null when it has been answered. */
    private RestoreCommand.Refusal pendingRefusal;
    private long discarded;
    /**
     * Bytes of a refused body read and dropped before the refusal is sent: a client that sends its
     * body whole before reading (no {@code Expect: 100-continue}) must not find the connection
     * closed under it; beyond this, one that streams on is cut off.
     */
    static final long DISCARD_LIMIT = 16 << 20;

    RestoreUpload(String commandUrl, RestoreCommand command) {
        this.commandUrl = commandUrl;
        this.command = command;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && file == null && !discarding) {
            String name = restoreName(req);
            if (name == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                begin(ctx, req, name);
            } finally {
                ReferenceCountUtil.release(msg);
            }
            if (msg instanceof LastHttpContent) {
                content(ctx, LastHttpContent.EMPTY_LAST_CONTENT);
            }
        } else if (msg instanceof HttpContent c && (file != null || discarding)) {
            try {
                content(ctx, c);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** The name the request asked for when it is a restore, else null. */
    private String restoreName(HttpRequest req) {
        if (!req.method().equals(HttpMethod.POST) || req.decoderResult().isFailure()) {
            return null;
        }
        String p = new QueryStringDecoder(req.uri()).path();
        String prefix = commandUrl + "/";
        if (!p.startsWith(prefix)) {
            return null;
        }
        String name = p.substring(prefix.length());
        return RestoreCommand.NAMES.contains(name) ? name : null;
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest req, String name) {
        askedAs = name;
        keepAlive = HttpUtil.isKeepAlive(req);
        String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
        RestoreCommand.Refusal refusal = command.admit(req.headers().get(HttpHeaderNames.AUTHORIZATION), remote);
        if (refusal != null) {
            if (HttpUtil.is100ContinueExpected(req)) {
                // The client waits for a go-ahead before its body: it gets the refusal instead.
                refuse(ctx, refusal.status(), refusal.error());
            } else {
                discarding = true;
                discarded = 0;
                pendingRefusal = refusal;
            }
            return;
        }
        try {
            path = command.newUpload();
            file = FileChannel.open(path, StandardOpenOption.WRITE);
        } catch (IOException e) {
            command.release();
            abandonFile();
            refuse(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot store the stream: " + e.getMessage());
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
    }

    /** Answers a refusal and closes the connection afterwards; anything more the client sends is dropped. */
    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String error) {
        discarding = true;
        keepAlive = false;
        AdminServer.sendJson(ctx, false, status, RestoreCommand.body(askedAs, error, null), Map.of());
    }

    private void content(ChannelHandlerContext ctx, HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (discarding) {
            discarded += c.content().readableBytes();
            RestoreCommand.Refusal r = pendingRefusal;
            if (r != null && (last || discarded > DISCARD_LIMIT)) {
                pendingRefusal = null;
                refuse(ctx, r.status(), r.error());
            }
            discarding = !last;
            return;
        }
        ByteBuf buf = c.content();
        try {
            while (buf.isReadable()) {
                buf.readBytes(file, buf.readableBytes());
            }
        } catch (IOException e) {
            LOG.warn("restore command: cannot store the stream: {}", e.toString());
            command.release();
            abandonFile();
            refuse(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot store the stream: " + e.getMessage());
            discarding = !last;
            return;
        }
        if (!last) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.debug("closing the restore upload: {}", e.toString());
        }
        file = null;
        Path stored = path;
        path = null;
        String name = askedAs;
        boolean alive = keepAlive;
        command.restore(stored).whenCompleteAsync((zxid, failure) -> {
            if (failure == null) {
                AdminServer.sendJson(ctx, alive, HttpResponseStatus.OK, RestoreCommand.body(name, null, zxid), Map.of());
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            LOG.warn("restore command failed: {}", cause.getMessage());
            // Apache answers a failed restore with 500.
            AdminServer.sendJson(ctx, alive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    RestoreCommand.body(name, "restore failed: " + cause.getMessage(), null), Map.of());
        }, ctx.executor());
    }

    /** Closes and deletes a body being stored. */
    private void abandonFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("closing the restore upload: {}", e.toString());
            }
            file = null;
        }
        if (path != null) {
            RestoreCommand.deleteQuietly(path);
            path = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (file != null) {
            // The caller went before its body ended: nothing is restored.
            abandonFile();
            command.release();
        }
        ctx.fireChannelInactive();
    }
}
