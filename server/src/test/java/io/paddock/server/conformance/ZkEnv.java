package io.paddock.server.conformance;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;

/** One server under test plus every client opened against it; closing it closes them all. */
final class ZkEnv implements AutoCloseable {
    static final int DEFAULT_TIMEOUT_MS = 30_000;

    private final TestServer server;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private ZkEnv(TestServer server) {
        this.server = server;
    }

    static ZkEnv start(String kind) {
        return start(kind, Map.of());
    }

    static ZkEnv start(String kind, Map<String, String> cfg) {
        return new ZkEnv(TestServers.start(kind, cfg));
    }

    static ZkEnv of(TestServer server) {
        return new ZkEnv(server);
    }

    TestServer server() {
        return server;
    }

    String kind() {
        return server.kind();
    }

    /** A Java client with a fresh session, connected (SyncConnected seen). */
    ZkClient client() {
        return client(DEFAULT_TIMEOUT_MS);
    }

    ZkClient client(int sessionTimeoutMs) {
        EventLog log = new EventLog();
        try {
            ZkClient client = track(new ZkClient(new ZooKeeper(server.connectString(), sessionTimeoutMs, log), log));
            log.awaitState(KeeperState.SyncConnected);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Java client re-attaching to an existing session; does not wait for any state. */
    ZkClient attach(long sessionId, byte[] password, int sessionTimeoutMs) {
        EventLog log = new EventLog();
        try {
            return track(new ZkClient(
                    new ZooKeeper(server.connectString(), sessionTimeoutMs, log, sessionId, password), log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw TCP connection, no handshake sent yet. */
    RawClient raw() {
        return track(RawClient.open(server.port()));
    }

    /** A raw connection with a new session already negotiated. */
    RawClient rawSession() {
        return rawSession(DEFAULT_TIMEOUT_MS);
    }

    RawClient rawSession(int timeoutMs) {
        RawClient raw = raw();
        ConnectResponse response = raw.connect(timeoutMs);
        if (response.sessionId() == 0) {
            throw new AssertionError("no session: " + response);
        }
        return raw;
    }

    <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Proves the server still serves new clients: a fresh connection can write and read. */
    void assertServing() {
        try (RawClient probe = RawClient.open(server.port())) {
            ConnectResponse r = probe.connect(DEFAULT_TIMEOUT_MS);
            if (r.sessionId() == 0 || r.timeOut() <= 0) {
                throw new AssertionError("server refused a new session: " + r);
            }
            RawReply reply = probe.call(OpCode.EXISTS, Jute.body().str("/").bool(false).bytes());
            if (reply.err() != 0) {
                throw new AssertionError("exists(/) failed on a fresh connection: " + reply);
            }
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cleanup failed", e);
                }
            }
        }
        server.close();
        if (failure != null) {
            throw failure;
        }
    }
}
