package io.paddock.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.paddock.server.tls.ReloadingSslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on one Netty thread, for the admin commands and the metrics page:
 * requests are aggregated (64 KiB at most) and handed to a fresh handler per connection.
 * A connection idle (nothing read or written) for the idle timeout is closed, and at most
 * {@link #MAX_CONNECTIONS} are open at once: a connection beyond that is closed as soon as it
 * is accepted. Without both, clients that connect and never speak hold file descriptors until
 * the process runs out and the client port cannot accept either. Both apply over TLS too: they
 * sit in front of the TLS handler, so a client that opens a connection and never completes a
 * handshake is closed like one that never sends a request.
 */
final class HttpEndpoint implements AutoCloseable {
    /**
     * Open connections allowed per endpoint. Its users are an operator's tools and a metrics
     * scraper, a handful at a time; a hundred leaves room for bursts and keeps them far below
     * the usual 1,024 descriptors of a process.
     */
    static final int MAX_CONNECTIONS = 100;
    /** Apache's admin server (Jetty) closes idle connections after {@code admin.idleTimeout}, 30 s by default. */
    static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    private final EventLoopGroup group;
    private final Channel channel;
    private final int port;

    private HttpEndpoint(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * How a port speaks TLS.
     *
     * @param context   the server's TLS context, asked afresh for each connection (it may have been reloaded)
     * @param plainToo  whether a connection whose first bytes are not a TLS handshake is served plain HTTP
     *                  (else it is closed)
     */
    record Tls(ReloadingSslContext context, boolean plainToo) {
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves plain HTTP with {@code handlers}.
     *
     * @throws IOException naming {@code what} and the address when it cannot be bound
     */
    static HttpEndpoint start(String what, String threadName, String host, int port, long idleTimeoutMs,
                              Supplier<ChannelHandler> handlers) throws IOException {
        return start(what, threadName, host, port, idleTimeoutMs, null, handlers);
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves with {@code handlers}, over TLS as
     * {@code tls} says (null: plain HTTP only).
     *
     * @throws IOException naming {@code what} and the address when it cannot be bound
     */
    static HttpEndpoint start(String what, String threadName, String host, int port, long idleTimeoutMs, Tls tls,
                              Supplier<ChannelHandler> handlers) throws IOException {
        return start(what, threadName, host, port, idleTimeoutMs, tls, null, handlers);
    }

    /**
     * As above, with {@code streams} (when not null) given each request's parts before they are
     * aggregated: a handler there takes a request whose body may exceed the aggregation limit (the
     * restore command's upload) and passes every other on.
     */
    static HttpEndpoint start(String what, String threadName, String host, int port, long idleTimeoutMs, Tls tls,
                              Supplier<ChannelHandler> streams, Supplier<ChannelHandler> handlers)
            throws IOException {
        EventLoopGroup group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        AtomicInteger open = new AtomicInteger();
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel sc) {
                            if (open.incrementAndGet() > MAX_CONNECTIONS) {
                                open.decrementAndGet();
                                LOG.debug("{}: closing {}, {} connections are open already", what, sc.remoteAddress(),
                                        MAX_CONNECTIONS);
                                sc.close();
                                return;
                            }
                            sc.closeFuture().addListener(f -> open.decrementAndGet());
                            ChannelPipeline p = sc.pipeline();
                            p.addLast(new IdleStateHandler(0, 0, idleTimeoutMs, TimeUnit.MILLISECONDS),
                                    CloseWhenIdle.INSTANCE);
                            if (tls != null) {
                                SslContext ssl = tls.context().get();
                                p.addLast(tls.plainToo() ? new OptionalSslHandler(ssl) : ssl.newHandler(sc.alloc()));
                            }
                            p.addLast(new HttpServerCodec());
                            if (tls != null) {
                                // The snapshot command sends its file in chunks over TLS (see SnapshotCommand).
                                p.addLast(new ChunkedWriteHandler(), StrictTransportSecurity.INSTANCE);
                            }
                            if (streams != null) {
                                p.addLast(streams.get());
                            }
                            p.addLast(new HttpObjectAggregator(64 * 1024), handlers.get());
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
            return new HttpEndpoint(group, ch);
        } catch (Exception e) { // Netty rethrows the bind failure, a checked exception, undeclared
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("cannot bind the " + what + " to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Tells browsers that reached the port over TLS to keep to HTTPS for a day, as Apache's admin
     * server does for its TLS requests ({@code max-age=86400; includeSubDomains}). A response on a
     * plain connection of a unified port gets no such header: it was not served securely.
     */
    @ChannelHandler.Sharable
    private static final class StrictTransportSecurity extends ChannelOutboundHandlerAdapter {
        static final StrictTransportSecurity INSTANCE = new StrictTransportSecurity();
        static final String HEADER = "Strict-Transport-Security";
        static final String VALUE = "max-age=86400; includeSubDomains";

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            // OptionalSslHandler puts an SslHandler in its place when the connection turns out to be TLS.
            if (msg instanceof HttpResponse resp && ctx.pipeline().get(SslHandler.class) != null) {
                resp.headers().set(HEADER, VALUE);
            }
            ctx.write(msg, promise);
        }
    }

    /** Closes a connection the IdleStateHandler before it reports idle. */
    @ChannelHandler.Sharable
    private static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
        static final CloseWhenIdle INSTANCE = new CloseWhenIdle();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
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
