package io.paddock.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a client and a server that a test can break. {@link #cut()} closes every
 * relayed connection and turns new ones away at once; {@link #blackhole()} keeps connections open
 * but drops every byte (as a dead network does, so only timeouts notice); {@link #restore()}
 * relays again. Plain blocking sockets, two daemon threads per connection.
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode { OPEN, CUT, BLACKHOLE }

    private final int targetPort;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Thread> pumps = new ArrayList<>();
    private volatile Mode mode = Mode.OPEN;
    private volatile boolean closed;

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String connectString() {
        return "127.0.0.1:" + port();
    }

    /** Closes every relayed connection; new connections are closed as soon as accepted. */
    public void cut() {
        mode = Mode.CUT;
        closeAll();
    }

    /** Keeps connections open but silently drops everything in both directions. */
    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    public void restore() {
        mode = Mode.OPEN;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.CUT) {
                quietClose(client);
                continue;
            }
            Socket server;
            try {
                server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            } catch (IOException e) {
                quietClose(client);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            if (mode == Mode.CUT) {
                // cut() ran while this connection was being set up.
                quietClose(client);
                quietClose(server);
                continue;
            }
            pump(client, server);
            pump(server, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (mode == Mode.OPEN) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side went away: take the other down too.
            } finally {
                quietClose(from);
                quietClose(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump-" + port());
        t.setDaemon(true);
        synchronized (pumps) {
            pumps.removeIf(p -> !p.isAlive());
            pumps.add(t);
        }
        t.start();
    }

    private void closeAll() {
        for (Socket s : sockets) {
            quietClose(s);
        }
        sockets.clear();
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Nothing more to do with a socket we are dropping.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        closeAll();
        try {
            acceptor.join(2000);
            List<Thread> all;
            synchronized (pumps) {
                all = new ArrayList<>(pumps);
            }
            for (Thread t : all) {
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
