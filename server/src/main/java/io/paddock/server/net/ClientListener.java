package io.paddock.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.paddock.server.config.ClientTlsConfig;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Core;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.tls.ReloadingSslContext;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client ports: {@code clientPort} (plaintext, or plaintext and TLS with
 * {@code client.portUnification}) and {@code secureClientPort} (TLS only), each optional. Accepts
 * connections and wires each one's pipeline; both ports share the event loops and the limits.
 */
public final class ClientListener implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** Every open client connection, closed with the listener. */
    private final ChannelGroup channels;
    private final Channel plainChannel;
    private final Channel secureChannel;
    private final Throttles throttles;

    private ClientListener(EventLoopGroup boss, EventLoopGroup workers, ChannelGroup channels, Channel plainChannel,
                           Channel secureChannel, Throttles throttles) {
        this.throttles = throttles;
        this.boss = boss;
        this.workers = workers;
        this.channels = channels;
        this.plainChannel = plainChannel;
        this.secureChannel = secureChannel;
    }

    /**
     * Binds the client ports; throws an IOException naming the address when one is taken, and a
     * ConfigException when a TLS key or trust store cannot be loaded.
     */
    public static ClientListener start(ServerConfig config, Core core, ServerStats stats) throws IOException {
        ClientTlsConfig tls = config.clientTls();
        ReloadingSslContext ssl = tls.enabled() ? ReloadingSslContext.forServer(tls.ssl(), tls.certReload()) : null;
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        EventLoopGroup workers = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxCnxns(), config.maxClientCnxns(), stats.metrics());
        FourLetterWords words = new FourLetterWords(config, stats);
        Throttles throttle = new Throttles(config, stats.metrics());
        words.bind(core);
        ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        List<Channel> bound = new ArrayList<>();
        try {
            Channel plain = null;
            Channel secure = null;
            if (config.clientPort() >= 0) {
                Mode mode = tls.portUnification() ? Mode.UNIFIED : Mode.PLAIN;
                plain = bind(b, address(config.clientPortAddress(), config.clientPort()), "client port",
                        new Initializer(mode, ssl, config, group, limiter, core, stats, words, throttle));
                bound.add(plain);
            }
            if (tls.secureClientPort() >= 0) {
                secure = bind(b, address(tls.secureClientPortAddress(), tls.secureClientPort()), "secure client port",
                        new Initializer(Mode.TLS, ssl, config, group, limiter, core, stats, words, throttle));
                bound.add(secure);
            }
            return new ClientListener(boss, workers, group, plain, secure, throttle);
        } catch (IOException | RuntimeException e) {
            bound.forEach(c -> c.close().syncUninterruptibly());
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throttle.close();
            throw e;
        }
    }

    private static InetSocketAddress address(String host, int port) {
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private static Channel bind(ServerBootstrap b, InetSocketAddress address, String what,
                                ChannelInitializer<SocketChannel> initializer) throws IOException {
        try {
            return b.clone().childHandler(initializer).bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            if (e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new IOException("cannot bind the " + what + " " + address + ": address already in use", e);
            }
            throw new IOException("cannot bind the " + what + " " + address + ": " + e.getMessage(), e);
        }
    }

    /** What a port speaks. */
    private enum Mode { PLAIN, UNIFIED, TLS }

    /** Wires one connection's pipeline: limits, then TLS as the port's mode says, then framing and the connection. */
    private static final class Initializer extends ChannelInitializer<SocketChannel> {
        private final Mode mode;
        private final ReloadingSslContext ssl;
        private final ServerConfig config;
        private final ChannelGroup group;
        private final ConnectionLimiter limiter;
        private final Core core;
        private final ServerStats stats;
        private final FourLetterWords words;
        private final Throttles throttle;

        Initializer(Mode mode, ReloadingSslContext ssl, ServerConfig config, ChannelGroup group, ConnectionLimiter limiter,
                    Core core, ServerStats stats, FourLetterWords words, Throttles throttle) {
            this.mode = mode;
            this.ssl = ssl;
            this.config = config;
            this.group = group;
            this.limiter = limiter;
            this.core = core;
            this.stats = stats;
            this.words = words;
            this.throttle = throttle;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            group.add(ch);
            ChannelPipeline p = ch.pipeline().addLast("limit", limiter);
            // The TLS handshake counts against the same bound as the ZooKeeper handshake: a peer that
            // stalls in either is closed after nio.sessionlessCnxnTimeout.
            long timeout = config.handshakeTimeoutMs();
            if (mode == Mode.TLS) {
                SslHandler handler = ssl.get().newHandler(ch.alloc());
                handler.setHandshakeTimeoutMillis(timeout);
                p.addLast("tls", handler);
            } else if (mode == Mode.UNIFIED) {
                p.addLast("tls", new UnifiedPortDetector(ssl.get(), timeout));
            }
            if (mode != Mode.PLAIN) {
                p.addLast("x509", new X509Identity(config.clientTls().x509SuperUser()));
            }
            p.addLast("frames", new FrameDecoder(config.juteMaxBuffer()))
                    .addLast("client", new ClientConnection(core, config, stats, words, throttle));
        }
    }

    /** The plaintext (or unified) client port, or -1 when there is none. */
    public int port() {
        return portOf(plainChannel);
    }

    /** The TLS-only client port, or -1 when there is none. */
    public int securePort() {
        return portOf(secureChannel);
    }

    private static int portOf(Channel c) {
        return c == null ? -1 : ((InetSocketAddress) c.localAddress()).getPort();
    }

    @Override
    public void close() {
        for (Channel c : new Channel[] {plainChannel, secureChannel}) {
            if (c != null) {
                c.close().syncUninterruptibly();
            }
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        throttles.close();
    }
}
