package io.paddock.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks one server the four-letter word {@code isro} on a connection of its own (over TLS when the
 * client uses TLS), as Apache's client does while it is connected read-only: a server that answers
 * {@code rw} has a quorum and takes writes.
 */
final class IsroProbe {
    private static final byte[] WORD = "isro".getBytes(StandardCharsets.US_ASCII);

    private IsroProbe() {
    }

    /** Completes true if the server answers {@code rw} within {@code timeoutMs}, false on any other outcome. */
    static CompletableFuture<Boolean> readWrite(Bootstrap template, InetSocketAddress address, int timeoutMs) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        StringBuilder answer = new StringBuilder();
        Bootstrap b = template.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ClientTls.addHandler(ch, address);
                        ch.pipeline().addLast("answer", new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(WORD));
                                // A server that never answers must not hold the search up.
                                ctx.executor().schedule(() -> ctx.close(), timeoutMs, TimeUnit.MILLISECONDS);
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                answer.append(msg.toString(StandardCharsets.US_ASCII));
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                // The server closes once it has answered.
                                result.complete(answer.toString().trim().equals("rw"));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.complete(false);
            }
        });
        return result;
    }
}
