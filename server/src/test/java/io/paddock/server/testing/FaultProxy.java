package io.paddock.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of one port, that a test can break the way networks break:
 * {@link #cut()} closes every relayed connection and refuses new ones (the far side sees a reset);
 * {@link #blackhole()} keeps every connection open but lets nothing through in either direction, as
 * a dead route, a frozen VM or a stopped process does (each side sees silence, and a side that
 * gives up and closes is not seen closing by the other);
 * {@link #heal()} lets bytes through again (connections cut meanwhile stay gone).
 */
public final class FaultProxy implements AutoCloseable {
    private enum Mode { PASS, BLACKHOLE, CUT }

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    /** A relay from a free loopback port to {@code 127.0.0.1:targetPort}. */
    public FaultProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start("proxy-accept-" + targetPort, this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String connectString() {
        return "127.0.0.1:" + port();
    }

    /** Closes every relayed connection and refuses new ones until {@link #heal()}. */
    public void cut() {
        mode = Mode.CUT;
        sockets.forEach(FaultProxy::closeQuietly);
        sockets.clear();
    }

    /** Lets nothing through, either way, on open connections and new ones, until {@link #heal()}. */
    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    public void heal() {
        mode = Mode.PASS;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // listener closed
            }
            if (mode == Mode.CUT) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress("127.0.0.1", targetPort), 5000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                start("proxy-up-" + targetPort, () -> pump(client, server));
                start("proxy-down-" + targetPort, () -> pump(server, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                // Bytes read while black-holed are gone, as on a route that drops every packet.
                if (mode == Mode.PASS) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // this side went away
        } finally {
            closeQuietly(from);
            sockets.remove(from);
            // Black-holed, the far side cannot learn that this one closed: its connection stays open
            // (and the other pump keeps reading it) until the proxy heals and a write to this side fails.
            if (mode != Mode.BLACKHOLE) {
                closeQuietly(to);
                sockets.remove(to);
            }
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.removeIf(t -> !t.isAlive());
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // best effort
        }
        sockets.forEach(FaultProxy::closeQuietly);
        for (Thread thread : threads) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
