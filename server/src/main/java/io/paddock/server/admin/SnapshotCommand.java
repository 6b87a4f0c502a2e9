package io.paddock.server.admin;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import io.paddock.protocol.ACL;
import io.paddock.protocol.Id;
import io.paddock.protocol.Perms;
import io.paddock.server.commands.Commands;
import io.paddock.server.storage.SnapshotFormat;
import io.paddock.server.storage.SnapshotRedaction;
import io.paddock.server.tree.DataTree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache ZooKeeper's {@code snapshot} admin command (alias {@code snap}): takes a snapshot and
 * streams the file, in Paddock's snapshot format, with its zxid and size in the {@code last_zxid}
 * and {@code snapshot_size} headers. The caller must prove the super identity through the
 * {@code Authorization} header ({@code digest super:<password>} matching the configured super
 * digest): a snapshot is the whole tree, every ACL and node however protected, so no ACL on
 * {@code /} may open it; {@code world} and {@code ip} never suffice (Apache asks only for every
 * permission on {@code /}, which an open root ACL gives anyone). At most one snapshot is taken per
 * rate-limit interval. The file sent is a copy with the sessions' passwords zeroed
 * ({@link SnapshotRedaction}): a password would let its holder take a live session over.
 *
 * <p>The checks and the cut of the tree happen on the core thread (one consistent state); the
 * snapshot is then encoded in slices between requests and written by the snapshot writer thread,
 * as the server's own snapshots are, and the file goes to the caller from the admin thread.
 */
final class SnapshotCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCommand.class);

    /** The primary name, then the alias. */
    static final List<String> NAMES = List.of("snapshot", "snap");
    /** The query parameter that asks for the file ({@code true}, the default) or only its headers. */
    static final String STREAMING = "streaming";
    static final String LAST_ZXID = "last_zxid";
    static final String SNAPSHOT_SIZE = "snapshot_size";
    /**
     * The redacted copy is {@code admin-copy-snapshot.<zxid>.tmp}: never loaded as a snapshot, and
     * removed by recovery if a crash left it behind (as any {@code .tmp} file).
     */
    static final String REDACTED_PREFIX = "admin-copy-";
    static final String REDACTED_SUFFIX = ".tmp";

    private final boolean enabled;
    private final SnapshotRateLimiter limiter;

    SnapshotCommand(AdminConfig admin) {
        this.enabled = admin.snapshotEnabled();
        this.limiter = new SnapshotRateLimiter(admin.rateLimiterIntervalMs());
    }

    /** What the core thread decided: a refusal to answer as JSON, or a snapshot under way. */
    sealed interface Decision {
    }

    /** Not taken: the HTTP status and Apache's error text (null where Apache gives none). */
    record Refused(HttpResponseStatus status, String error) implements Decision {
    }

    /** Taken: completes with the snapshot file once it is durable. */
    record Taking(CompletableFuture<Path> file) implements Decision {
    }

    /**
     * Runs the command's checks in Apache's order and, if they pass, starts the snapshot. Core
     * thread only.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param remoteAddress the caller's IP address (for the {@code ip} scheme)
     */
    Decision decide(Commands.Context ctx, String authorization, String remoteAddress) {
        if (!ctx.core().serving()) {
            // Apache answers this with 200, as every other admin command here.
            return new Refused(HttpResponseStatus.OK, Commands.NOT_SERVING);
        }
        if (authorization == null) {
            return new Refused(HttpResponseStatus.UNAUTHORIZED, AdminAuth.MISSING);
        }
        List<Id> ids = AdminAuth.authenticate(authorization, remoteAddress, ctx.config());
        if (ids == null) {
            return new Refused(HttpResponseStatus.UNAUTHORIZED, AdminAuth.NOT_AUTHENTICATED);
        }
        List<ACL> rootAcl = ctx.core().stateMachine().tree().get(DataTree.ROOT).acl();
        // Super first: skipACL or an open root ACL must not open the whole tree to an address.
        if (!AdminAuth.isSuper(ids) || !AdminAuth.authorized(rootAcl, Perms.ALL, ids, ctx.config().skipAcl())) {
            return new Refused(HttpResponseStatus.FORBIDDEN, AdminAuth.NOT_AUTHORIZED);
        }
        if (!enabled) {
            LOG.warn("snapshot command refused: admin.snapshot.enabled is false");
            return new Refused(HttpResponseStatus.SERVICE_UNAVAILABLE, null);
        }
        if (!limiter.tryAcquire()) {
            LOG.warn("snapshot command refused: rate-limited (admin.rateLimiterIntervalInMS)");
            return new Refused(HttpResponseStatus.TOO_MANY_REQUESTS, null);
        }
        return new Taking(ctx.core().takeSnapshot().thenApplyAsync(SnapshotCommand::redactedCopy));
    }

    /**
     * The copy to send, beside the snapshot under a name recovery and purge ignore; made off the
     * core thread. The caller deletes it once open.
     */
    private static Path redactedCopy(Path snapshot) {
        Path copy = snapshot.resolveSibling(REDACTED_PREFIX + snapshot.getFileName() + REDACTED_SUFFIX);
        try {
            SnapshotRedaction.copyWithoutPasswords(snapshot, copy);
        } catch (RuntimeException e) {
            try {
                java.nio.file.Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // Nothing reads a file of that name; the next copy replaces it.
            }
            throw e;
        }
        return copy;
    }

    /**
     * Answers a decision: a refusal as Apache's JSON; a snapshot, once written, as the file
     * ({@code application/octet-stream}) or, when not {@code streaming}, as JSON with the same headers.
     */
    void answer(Decision decision, String askedAs, boolean streaming, ChannelHandlerContext chc, boolean keepAlive) {
        if (decision instanceof Refused r) {
            AdminServer.sendJson(chc, keepAlive, r.status(), body(askedAs, r.error()), Map.of());
        } else if (decision instanceof Taking t) {
            t.file().whenComplete((path, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    LOG.warn("snapshot command failed: {}", cause.toString());
                    AdminServer.sendJson(chc, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            body(askedAs, "the snapshot failed: " + cause.getMessage()), Map.of());
                } else {
                    send(path, askedAs, streaming, chc, keepAlive);
                }
            });
        }
    }

    private static void send(Path path, String askedAs, boolean streaming, ChannelHandlerContext chc,
                             boolean keepAlive) {
        FileChannel file;
        long size;
        try {
            // Opened at once: a purge may delete the file later, but an open file stays readable.
            // Deleted once open: it leaves no file behind, whatever becomes of the transfer.
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE);
            size = file.size();
        } catch (IOException e) {
            LOG.warn("snapshot command cannot read {}: {}", path, e.toString());
            AdminServer.sendJson(chc, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    body(askedAs, "cannot read the snapshot: " + e.getMessage()), Map.of());
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String copyName = path.getFileName().toString();
        Path original = path.resolveSibling(copyName.substring(REDACTED_PREFIX.length(),
                copyName.length() - REDACTED_SUFFIX.length()));
        headers.put(LAST_ZXID, "0x" + Long.toHexString(SnapshotFormat.zxidOf(original)));
        headers.put(SNAPSHOT_SIZE, Long.toString(size));
        if (!streaming) {
            closeQuietly(file);
            AdminServer.sendJson(chc, keepAlive, HttpResponseStatus.OK, body(askedAs, null), headers);
            return;
        }
        // A file region cannot pass through TLS (encryption needs the bytes in memory): over TLS the
        // file is read in chunks instead (HttpEndpoint puts a ChunkedWriteHandler in TLS pipelines).
        HttpChunkedInput chunks = null;
        if (chc.pipeline().get(SslHandler.class) != null) {
            try {
                chunks = new HttpChunkedInput(new ChunkedNioFile(file, 0, size, 16 * 1024));
            } catch (IOException e) {
                closeQuietly(file);
                AdminServer.sendJson(chc, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        body(askedAs, "cannot read the snapshot: " + e.getMessage()), Map.of());
                return;
            }
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        headers.forEach(head.headers()::set);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(head, size);
        if (keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        chc.write(head);
        ChannelFuture done;
        if (chunks != null) {
            // The chunked input closes the file when done.
            done = chc.writeAndFlush(chunks);
        } else {
            // Sent straight from the file (no copy through the heap); the region closes the file when done.
            chc.write(new DefaultFileRegion(file, 0, size));
            done = chc.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
        LOG.info("snapshot command: streaming {} ({} bytes) to {}", path.getFileName(), size,
                chc.channel().remoteAddress());
    }

    private static Map<String, Object> body(String askedAs, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", askedAs);
        m.put("error", error);
        return m;
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            LOG.debug("closing a snapshot file: {}", e.toString());
        }
    }
}
