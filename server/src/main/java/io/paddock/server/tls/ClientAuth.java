package io.paddock.server.tls;

import io.paddock.server.config.ConfigException;
import java.util.Locale;

/** Whether a TLS server asks its peer for a certificate ({@code ssl.clientAuth}); Apache's default is NEED. */
public enum ClientAuth {
    /** No certificate is asked for. */
    NONE(io.netty.handler.ssl.ClientAuth.NONE),
    /** A certificate is asked for; a peer without one is still accepted. */
    WANT(io.netty.handler.ssl.ClientAuth.OPTIONAL),
    /** A trusted certificate is required. */
    NEED(io.netty.handler.ssl.ClientAuth.REQUIRE);

    private final io.netty.handler.ssl.ClientAuth netty;

    ClientAuth(io.netty.handler.ssl.ClientAuth netty) {
        this.netty = netty;
    }

    io.netty.handler.ssl.ClientAuth netty() {
        return netty;
    }

    static ClientAuth parse(String key, String value, String where) {
        if (value == null || value.isBlank()) {
            return NEED;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid value '" + value + "' for " + key + " in " + where
                    + ": expected none, want or need");
        }
    }
}
