package io.paddock.client.testing;

import io.paddock.client.PaddockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Creates connected clients for a test and closes them all afterwards. */
public final class Clients implements AutoCloseable {
    private final List<PaddockClient> clients = new ArrayList<>();

    public PaddockClient connect(String connectString) {
        return connect(connectString, b -> b);
    }

    public PaddockClient connect(String connectString, UnaryOperator<PaddockClient.Builder> settings) {
        PaddockClient client = start(connectString, settings);
        try {
            if (!client.awaitConnected(Duration.ofSeconds(10))) {
                throw new AssertionError("client did not connect to " + connectString);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return client;
    }

    /** A client that may still be connecting. */
    public PaddockClient start(String connectString, UnaryOperator<PaddockClient.Builder> settings) {
        PaddockClient client = settings.apply(PaddockClient.builder(connectString)
                .sessionTimeout(Duration.ofSeconds(10))).build();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    @Override
    public void close() {
        List<PaddockClient> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
            clients.clear();
        }
        all.forEach(PaddockClient::close);
    }
}
