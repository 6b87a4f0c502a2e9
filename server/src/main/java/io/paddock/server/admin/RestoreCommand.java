package io.paddock.server.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.paddock.protocol.Id;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Core;
import io.paddock.server.stats.Metrics;
import io.paddock.server.storage.SnapshotReader;
import io.paddock.server.storage.Storage;
import io.paddock.server.txn.SessionTable;
import io.paddock.server.txn.StateMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache ZooKeeper's {@code restore} admin command (alias {@code rest}): {@code POST} a snapshot
 * stream, as the {@code snapshot} command sends it, and the server's whole state is replaced by it;
 * the answer's {@code last_zxid} is the restored state's zxid. The same rule as {@code snapshot}
 * guards it: the caller must prove the super identity. The stream is stored and validated whole
 * (its checksum, its end marker, every record) before anything changes; a damaged one changes
 * nothing. Sessions in the stream get fresh passwords (the {@code snapshot} command zeroes them), so
 * nobody can take one over: they expire, and their ephemeral nodes with them. Standalone servers
 * only, for now. At most one restore per rate-limit interval, and one at a time.
 */
final class RestoreCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreCommand.class);

    /** The primary name, then the alias. */
    static final List<String> NAMES = List.of("restore", "rest");
    static final String LAST_ZXID = "last_zxid";
    /** The stream is stored as {@code restore-upload-*.tmp}: recovery removes any left by a crash. */
    private static final String UPLOAD_PREFIX = "restore-upload-";
    private static final String UPLOAD_SUFFIX = ".tmp";
    private static final int PASSWORD_BYTES = 16;

    private final boolean enabled;
    private final SnapshotRateLimiter limiter;
    private final Core core;
    private final ServerConfig config;
    private final Metrics metrics;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final SecureRandom random = new SecureRandom();
    /** Validation reads the whole stream: on a thread of its own, never the admin server's. */
    private final Executor validation = r -> {
        Thread t = new Thread(r, "paddock-restore");
        t.setDaemon(true);
        t.start();
    };

    RestoreCommand(AdminConfig admin, Core core, ServerConfig config, Metrics metrics) {
        this.enabled = admin.restoreEnabled();
        // Its own limiter with the snapshot command's interval, as Apache's.
        this.limiter = new SnapshotRateLimiter(admin.rateLimiterIntervalMs());
        this.core = core;
        this.config = config;
        this.metrics = metrics;
    }

    /** Why a request is refused: the HTTP status and the error text (null where Apache gives none). */
    record Refusal(HttpResponseStatus status, String error) {
    }

    /**
     * The checks made on the request's head, before its body is read, in Apache's order; null when
     * the body may be taken (the caller must then {@link #restore} it or {@link #release}).
     *
     * @param authorization the {@code Authorization} header, or null
     * @param remoteAddress the caller's IP address (for the {@code ip} scheme)
     */
    Refusal admit(String authorization, String remoteAddress) {
        if (authorization == null) {
            return new Refusal(HttpResponseStatus.UNAUTHORIZED, AdminAuth.MISSING);
        }
        List<Id> ids = AdminAuth.authenticate(authorization, remoteAddress, config);
        if (ids == null) {
            return new Refusal(HttpResponseStatus.UNAUTHORIZED, AdminAuth.NOT_AUTHENTICATED);
        }
        // Super only, as the snapshot command: the super identity passes every ACL, the root's included.
        if (!AdminAuth.isSuper(ids)) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, AdminAuth.NOT_AUTHORIZED);
        }
        if (!enabled) {
            LOG.warn("restore command refused: admin.restore.enabled is false");
            return new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE, null);
        }
        if (config.ensemble()) {
            return new Refusal(HttpResponseStatus.NOT_IMPLEMENTED,
                    "restore is supported on a standalone server only; restore each member's data directory instead");
        }
        if (!limiter.tryAcquire()) {
            metrics.restoreRateLimitedCount.increment();
            LOG.warn("restore command refused: rate-limited (admin.rateLimiterIntervalInMS)");
            return new Refusal(HttpResponseStatus.TOO_MANY_REQUESTS, null);
        }
        if (!busy.compareAndSet(false, true)) {
            return new Refusal(HttpResponseStatus.CONFLICT, "a restore is under way");
        }
        return null;
    }

    /** A new file for an admitted request's body, beside the snapshots (the same disk as the result). */
    Path newUpload() throws IOException {
        return Files.createTempFile(Storage.snapshotDir(config), UPLOAD_PREFIX, UPLOAD_SUFFIX);
    }

    /** An admitted request ended without a body to restore. */
    void release() {
        busy.set(false);
    }

    /**
     * Validates the stored stream whole, then replaces the state with it; completes with the
     * restored zxid once it is durable, or with why nothing was restored. Deletes the upload.
     */
    CompletableFuture<Long> restore(Path upload) {
        long startNanos = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> load(upload), validation)
                .thenCompose(core::restore)
                .whenComplete((zxid, failure) -> {
                    deleteQuietly(upload);
                    busy.set(false);
                    long ms = (System.nanoTime() - startNanos) / 1_000_000;
                    if (failure == null) {
                        metrics.restoreTime.record(ms);
                        LOG.info("restore command: restored at zxid 0x{} in {} ms", Long.toHexString(zxid), ms);
                    } else {
                        metrics.restoreErrorCount.increment();
                    }
                });
    }

    private StateMachine load(Path upload) {
        StateMachine sm;
        try {
            sm = SnapshotReader.load(upload, config.extendedTypesEnabled());
        } catch (RuntimeException e) {
            // The reader names the file; the caller knows it only as the stream it sent.
            throw new IllegalArgumentException("the snapshot stream is not valid: "
                    + String.valueOf(e.getMessage()).replace("snapshot " + upload + " is damaged", "damaged"), e);
        }
        List<SessionTable.Entry> sessions = new ArrayList<>();
        for (SessionTable.Entry e : sm.sessions().all().values()) {
            byte[] password = new byte[PASSWORD_BYTES];
            random.nextBytes(password);
            sessions.add(new SessionTable.Entry(e.id(), e.timeoutMs(), password));
        }
        return new StateMachine(sm.tree(), sessions, sm.lastZxid());
    }

    /** The answer's JSON: Apache's {@code command} and {@code error}, and {@code last_zxid} once restored. */
    static Map<String, Object> body(String askedAs, String error, Long lastZxid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", askedAs);
        m.put("error", error);
        if (lastZxid != null) {
            m.put(LAST_ZXID, lastZxid);
        }
        return m;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {} (recovery removes it at the next start)", file, e.toString());
        }
    }
}
