package io.paddock.server.testing;

/** A server started by a test: Paddock or the reference Apache ZooKeeper, on a free port. */
public interface TestServer extends AutoCloseable {
    /** "paddock" or "apache". */
    String kind();

    int port();

    default String connectString() {
        return "127.0.0.1:" + port();
    }

    @Override
    void close();
}
