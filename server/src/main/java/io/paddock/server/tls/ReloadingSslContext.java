package io.paddock.server.tls;

import io.netty.handler.ssl.SslContext;
import io.paddock.server.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS context that can follow its key and trust store files: with reloading on, each new
 * connection asks for the context, and when a file's modification time or size has changed since
 * the context was built it is built again first. A store that cannot be loaded (say, half
 * written) is logged and the previous context is kept, so a bad deployment does not take the
 * port down; open connections keep the context they started with.
 */
public final class ReloadingSslContext {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);

    private final TlsSettings settings;
    private final Function<TlsSettings, SslContext> builder;
    private final boolean reload;
    private SslContext current;
    private List<Object> stamps;

    private ReloadingSslContext(TlsSettings settings, Function<TlsSettings, SslContext> builder, boolean reload) {
        this.settings = settings;
        this.builder = builder;
        this.reload = reload;
        this.stamps = stamps();
        this.current = builder.apply(settings);
    }

    /** A server context, built now (a bad store throws a {@link ConfigException}); reloaded when {@code reload}. */
    public static ReloadingSslContext forServer(TlsSettings settings, boolean reload) {
        return new ReloadingSslContext(settings, TlsContexts::forServer, reload);
    }

    /** A client context, built now (a bad store throws a {@link ConfigException}); reloaded when {@code reload}. */
    public static ReloadingSslContext forClient(TlsSettings settings, boolean reload) {
        return new ReloadingSslContext(settings, TlsContexts::forClient, reload);
    }

    /** The context a new connection should use. */
    public synchronized SslContext get() {
        if (!reload) {
            return current;
        }
        List<Object> now = stamps();
        if (!now.equals(stamps)) {
            stamps = now;
            try {
                current = builder.apply(settings);
                LOG.info("reloaded the {}* key and trust stores: {}", settings.prefix(), now);
            } catch (ConfigException e) {
                LOG.warn("keeping the previous TLS context: {}", e.getMessage());
            }
        }
        return current;
    }

    private List<Object> stamps() {
        List<Object> out = new ArrayList<>(2);
        out.add(settings.keyStore() == null ? "" : settings.keyStore().stamp());
        out.add(settings.trustStore() == null ? "" : settings.trustStore().stamp());
        return out;
    }
}
