package io.paddock.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import io.netty.util.concurrent.GlobalEventExecutor;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Core;
import io.paddock.server.stats.ServerStats;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The client port: accepts connections and wires each one's pipeline. */
public final class ClientListener implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** Every open client connection, closed with the listener. */
    private final ChannelGroup channels;
    private final Channel serverChannel;

    private ClientListener(EventLoopGroup boss, EventLoopGroup workers, ChannelGroup channels, Channel serverChannel) {
        this.boss = boss;
        this.workers = workers;
        this.channels = channels;
        this.serverChannel = serverChannel;
    }

    /** Binds the client port; throws an IOException naming the address when it is taken. */
    public static ClientListener start(ServerConfig config, Core core, ServerStats stats) throws IOException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        EventLoopGroup workers = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxCnxns(), config.maxClientCnxns(), stats.metrics());
        FourLetterWords words = new FourLetterWords(config, stats);
        Throttle throttle = new Throttle(config.globalOutstandingLimit());
        words.bind(core);
        ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        group.add(ch);
                        ch.pipeline().addLast("limit", limiter)
                                .addLast("frames", new FrameDecoder(config.juteMaxBuffer()))
                                .addLast("client", new ClientConnection(core, config, stats, words, throttle));
                    }
                });
        InetSocketAddress address = config.clientPortAddress() == null
                ? new InetSocketAddress(config.clientPort())
                : new InetSocketAddress(config.clientPortAddress(), config.clientPort());
        try {
            Channel server = b.bind(address).syncUninterruptibly().channel();
            return new ClientListener(boss, workers, group, server);
        } catch (Exception e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new IOException("cannot bind the client port " + address + ": address already in use", e);
            }
            throw new IOException("cannot bind the client port " + address + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
