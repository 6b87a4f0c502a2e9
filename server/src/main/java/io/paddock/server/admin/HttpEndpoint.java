package io.paddock.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A small HTTP/1.1 server on one Netty thread, for the admin commands and the metrics page:
 * requests are aggregated (64 KiB at most) and handed to a fresh handler per connection.
 */
final class HttpEndpoint implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final int port;

    private HttpEndpoint(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves with {@code handlers}.
     *
     * @throws IOException naming {@code what} and the address when it cannot be bound
     */
    static HttpEndpoint start(String what, String threadName, String host, int port,
                              Supplier<ChannelHandler> handlers) throws IOException {
        EventLoopGroup group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel sc) {
                            sc.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                    handlers.get());
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
            return new HttpEndpoint(group, ch);
        } catch (Exception e) { // Netty rethrows the bind failure, a checked exception, undeclared
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("cannot bind the " + what + " to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The bound port. */
    int port() {
        return port;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers one request; closes the connection afterwards unless the client keeps it alive. */
    static void send(ChannelHandlerContext chc, boolean keepAlive, HttpResponseStatus status, String contentType,
                     String body) {
        send(chc, keepAlive, status, contentType, body, java.util.Map.of());
    }

    /** As {@link #send(ChannelHandlerContext, boolean, HttpResponseStatus, String, String)}, with extra headers. */
    static void send(ChannelHandlerContext chc, boolean keepAlive, HttpResponseStatus status, String contentType,
                     String body, java.util.Map<String, String> headers) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        headers.forEach(resp.headers()::set);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(resp, resp.content().readableBytes());
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            chc.writeAndFlush(resp);
        } else {
            chc.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
