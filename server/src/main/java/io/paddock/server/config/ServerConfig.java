package io.paddock.server.config;

import java.util.Properties;

/** Immutable server configuration parsed from zoo.cfg keys. Skeleton. */
public final class ServerConfig {
    private ServerConfig() {
    }

    /** Parses zoo.cfg-style properties; {@code source} names the file in error messages. */
    public static ServerConfig parse(Properties props, String source) {
        throw new UnsupportedOperationException("not yet");
    }
}
