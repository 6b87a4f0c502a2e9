package io.paddock.client.testing;

/** A server started in-process for a test. */
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
