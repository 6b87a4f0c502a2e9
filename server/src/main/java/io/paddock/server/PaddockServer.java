package io.paddock.server;

import io.paddock.server.config.ServerConfig;

/** A running Paddock server. Skeleton: filled in by the foundation issue. */
public final class PaddockServer implements AutoCloseable {
    private PaddockServer() {
    }

    /** Starts a server with the given configuration; returns once it accepts clients. */
    public static PaddockServer start(ServerConfig config) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The port the client listener is bound to (useful with clientPort=0). */
    public int clientPort() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Stops accepting clients, closes every connection and releases every thread and port. */
    @Override
    public void close() {
    }
}
