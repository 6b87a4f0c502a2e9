package io.paddock.server.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.paddock.server.zab.Msg;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@link Msg}s between the servers of an ensemble: votes on the election port, link messages
 * on the quorum port.
 *
 * <p>For each peer and port kind this server keeps one outgoing connection that only sends (opened
 * when there is something to send, reopened after a failure with backoff), and receives only on the
 * connections its own two ports accept. Messages of one sender and port kind arrive in send order;
 * any may be lost, and every loss is reported through {@link PeerListener#onPeerDown}. See
 * {@link PeerCodec} for the wire format.
 */
public final class PeerTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTransport.class);
    private static final int THREADS = 2;

    private final long myId;
    private final int connectTimeoutMs;
    private final PeerListener listener;
    private final PeerLimits limits;
    private final PeerSecurity security;
    /** Each server's host as its server.N line gives it, for certificate checks. */
    private final Map<Long, String> hosts = new HashMap<>();
    private final boolean epoll;
    private final EventLoopGroup group;
    private final ExecutorService resolver;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Channel> servers = new ArrayList<>();
    /** Per peer id, its outgoing connection for each port kind. */
    private final Map<Long, EnumMap<PortKind, Outgoing>> outgoing = new HashMap<>();
    /** The live incoming connection per peer and port kind, to close one a newer one replaces. */
    private final Map<Incomer, Channel> incoming = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Incomer(long peer, PortKind kind) {
    }

    private PeerTransport(long myId, int connectTimeoutMs, PeerListener listener, PeerLimits limits,
            PeerSecurity security) {
        this.myId = myId;
        this.security = security;
        this.connectTimeoutMs = connectTimeoutMs;
        this.listener = listener;
        this.limits = limits;
        this.epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("peer-" + myId, true);
        this.group = epoll ? new EpollEventLoopGroup(THREADS, threads) : new NioEventLoopGroup(THREADS, threads);
        this.resolver = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "peer-" + myId + "-resolver");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts with {@link PeerLimits#DEFAULT}. */
    public static PeerTransport start(long myId, List<PeerAddress> all, String bindHost, int connectTimeoutMs,
            PeerListener listener) throws IOException {
        return start(myId, all, bindHost, connectTimeoutMs, listener, PeerLimits.DEFAULT);
    }

    /** Starts without authentication between servers ({@link PeerSecurity#NONE}). */
    public static PeerTransport start(long myId, List<PeerAddress> all, String bindHost, int connectTimeoutMs,
            PeerListener listener, PeerLimits limits) throws IOException {
        return start(myId, all, bindHost, connectTimeoutMs, listener, limits, PeerSecurity.NONE);
    }

    /**
     * Binds this server's quorum and election ports and prepares (but does not open) a connection to
     * every other server.
     *
     * @param myId this server's id, one of {@code all}
     * @param all every server of the ensemble, this one included
     * @param bindHost the address to bind both ports on: null for this server's own host,
     *     "0.0.0.0" to listen on all addresses (quorumListenOnAllIPs)
     * @param connectTimeoutMs how long one connection attempt may take
     * @param listener receives messages and losses, on Netty threads
     * @param limits bounds on what is held for a slow or absent peer and on a received message
     * @param security how servers prove who they are to each other
     * @throws IOException when a port cannot be bound (the message names the address)
     */
    public static PeerTransport start(long myId, List<PeerAddress> all, String bindHost, int connectTimeoutMs,
            PeerListener listener, PeerLimits limits, PeerSecurity security) throws IOException {
        PeerAddress self = null;
        Map<Long, PeerAddress> byId = new HashMap<>();
        for (PeerAddress a : all) {
            if (byId.put(a.id(), a) != null) {
                throw new IllegalArgumentException("server." + a.id() + " appears twice");
            }
            if (a.id() == myId) {
                self = a;
            }
        }
        if (self == null) {
            throw new IllegalArgumentException("server." + myId + " (this server) is not among " + all);
        }
        if (connectTimeoutMs < 1) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeoutMs);
        }
        PeerTransport t = new PeerTransport(myId, connectTimeoutMs, listener, limits, security);
        try {
            for (PeerAddress a : all) {
                t.hosts.put(a.id(), a.host());
                if (a.id() != myId) {
                    EnumMap<PortKind, Outgoing> kinds = new EnumMap<>(PortKind.class);
                    for (PortKind kind : PortKind.values()) {
                        kinds.put(kind, new Outgoing(t, a, kind, t.group.next()));
                    }
                    t.outgoing.put(a.id(), kinds);
                }
            }
            for (PortKind kind : PortKind.values()) {
                t.bind(bindHost == null ? self.host() : bindHost, self.port(kind), kind);
            }
            LOG.info("connections between servers are {}", security.describe());
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void bind(String host, int port, PortKind kind) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("cannot bind the " + kind.portName() + ": cannot resolve " + host);
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        if (security.tls() != null) {
                            ch.pipeline().addLast("tls", security.tls().serverHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder()).addLast("peer", new Incoming(PeerTransport.this, kind));
                    }
                });
        try {
            servers.add(b.bind(address).syncUninterruptibly().channel());
        } catch (Exception e) {
            String why = e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).contains("Address already in use")
                    ? "address already in use" : String.valueOf(e.getMessage());
            throw new IOException("cannot bind the " + kind.portName() + " " + address + ": " + why, e);
        }
    }

    public long myId() {
        return myId;
    }

    /**
     * Sends {@code msg} to server {@code to}, on the election port for a vote, else the quorum port.
     * Never blocks; any thread. After {@link #close()} it does nothing.
     *
     * @throws IllegalArgumentException if {@code to} is not another server of the ensemble
     */
    public void send(long to, Msg msg) {
        EnumMap<PortKind, Outgoing> kinds = outgoing.get(to);
        if (kinds == null) {
            throw new IllegalArgumentException("no server " + to + " to send to" + (to == myId ? " (it is this one)" : ""));
        }
        if (!closed) {
            kinds.get(PortKind.of(msg)).send(msg);
        }
    }

    /** Closes every connection and both ports and stops every thread; no callback follows. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Future<?>> shutdowns = new ArrayList<>();
        for (EnumMap<PortKind, Outgoing> kinds : outgoing.values()) {
            for (Outgoing o : kinds.values()) {
                shutdowns.add(o.loop().submit(o::shutdown));
            }
        }
        for (Future<?> f : shutdowns) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel server : servers) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        resolver.shutdownNow();
        try {
            resolver.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // What Incoming and Outgoing need.

    PeerLimits limits() {
        return limits;
    }

    PeerSecurity security() {
        return security;
    }

    String hostOf(long id) {
        return hosts.get(id);
    }

    int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** How long an accepted connection may take to send its handshake. */
    int handshakeTimeoutMs() {
        return Math.max(connectTimeoutMs, 1000);
    }

    Class<? extends Channel> socketChannelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    ExecutorService resolver() {
        return resolver;
    }

    boolean isPeer(long id) {
        return outgoing.containsKey(id);
    }

    void track(Channel ch) {
        channels.add(ch);
    }

    void incomingOpened(long peer, PortKind kind, Channel ch) {
        Channel older = incoming.put(new Incomer(peer, kind), ch);
        if (older != null && older.isActive()) {
            // The peer keeps one sending connection per port, so the older one is dead (it restarted).
            // Only a believed sender gets here: with authentication between servers, only that
            // server itself can replace its link; without it, anyone reaching the port can.
            LOG.info("server {} connected to our {} again; closing its older connection", peer, kind.portName());
            older.close();
        }
    }

    void incomingClosed(long peer, PortKind kind, Channel ch) {
        incoming.remove(new Incomer(peer, kind), ch);
        peerDown(peer);
    }

    void deliver(long from, Msg msg) {
        if (closed) {
            return;
        }
        try {
            listener.onMessage(from, msg);
        } catch (RuntimeException e) {
            LOG.error("peer listener failed on {} from server {}", msg, from, e);
        }
    }

    void peerDown(long peer) {
        if (closed) {
            return;
        }
        try {
            listener.onPeerDown(peer);
        } catch (RuntimeException e) {
            LOG.error("peer listener failed on server {} down", peer, e);
        }
    }
}
