package io.paddock.server;

import io.paddock.server.audit.AuditLog;
import io.paddock.server.config.ConfigException;
import io.paddock.server.config.ServerConfig;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java io.paddock.server.Main zoo.cfg}: reads the configuration, starts the server, and
 * shuts down cleanly on SIGTERM. A start-up failure is logged and exits with status 1.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java io.paddock.server.Main <zoo.cfg>");
            System.exit(2);
        }
        PaddockServer server;
        AuditLog audit = AuditLog.DISABLED;
        try {
            ServerConfig config = ServerConfig.load(Path.of(args[0]));
            audit = new AuditLog(config.quotaAudit().auditEnabled());
            server = PaddockServer.start(config);
            audit.serverStarted(true);
        } catch (ConfigException | UncheckedIOException | io.paddock.server.storage.StorageException e) {
            audit.serverStarted(false);
            LOG.error("Paddock cannot start: {}", e.getMessage());
            System.err.println("Paddock cannot start: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            audit.serverStarted(false);
            LOG.error("Paddock cannot start", e);
            System.exit(1);
            return;
        }
        server.failure().thenAccept(cause -> {
            // An internal error, or an ensemble member's disk that cannot be written: either way this
            // process can serve no one until it starts again.
            LOG.error("Paddock stopped serving ({}); exiting with status 3", cause.toString(), cause);
            Runtime.getRuntime().halt(3);
        });
        CountDownLatch stopped = new CountDownLatch(1);
        AuditLog auditLog = audit;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            auditLog.serverStopping();
            LOG.info("shutting down");
            server.close();
            stopped.countDown();
        }, "paddock-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
