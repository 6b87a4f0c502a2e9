package io.paddock.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.RequestHeader;
import io.paddock.protocol.Xid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection to one server: length-prefixed framing, the handshake, and liveness
 * (a ping when nothing was sent for a third of the session timeout, the connection dropped
 * when nothing was received for two thirds). It knows nothing about sessions or requests;
 * it reports the handshake, every later frame and its own end to a {@link Listener}, exactly
 * once each, on the channel's event loop.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    interface Listener {
        void onHandshake(Connection connection, ConnectResponse response);

        void onFrame(Connection connection, ReplyHeader header, JuteInput body);

        void onClosed(Connection connection, Throwable cause);
    }

    /** Apache's client pings at least this often whatever the timeout. */
    private static final long MAX_PING_INTERVAL_MS = 10_000;

    private static final byte[] PING_FRAME = pingFrame();

    private final Listener listener;
    private final ConnectRequest connectRequest;
    private final long handshakeTimeoutMs;
    private final InetSocketAddress address;
    private Channel channel;
    private boolean handshakeDone;
    private boolean closeReported;
    private Throwable closeCause;
    private ScheduledFuture<?> handshakeTimer;

    Connection(Listener listener, ConnectRequest connectRequest, int handshakeTimeoutMs, InetSocketAddress address) {
        this.listener = listener;
        this.connectRequest = connectRequest;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.address = address;
    }

    /**
     * Starts connecting; the outcome arrives through the listener, possibly before this method
     * returns (a host that cannot be resolved fails at once). Call on the event loop.
     */
    void connect(Bootstrap template, int maxFrameBytes) {
        Bootstrap b = template.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) handshakeTimeoutMs)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ClientTls.addHandler(ch, address);
                        ch.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameBytes + 4, 0, 4, 0, 4));
                        ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true));
                        ch.pipeline().addLast("connection", Connection.this);
                    }
                });
        ChannelFuture future = b.connect(address);
        channel = future.channel();
        future.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                reportClosed(f.cause());
            }
        });
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        JuteOutput out = new JuteOutput(64);
        out.writeInt(0);
        connectRequest.writeTo(out);
        out.setInt(0, out.size() - 4);
        write(out);
        handshakeTimer = ctx.executor().schedule(
                () -> close(new IOException("no handshake response from " + address + " within " + handshakeTimeoutMs + " ms")),
                handshakeTimeoutMs, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (closeCause != null) {
                return;
            }
            JuteInput in = new JuteInput(ByteBufUtil.getBytes(buf));
            if (!handshakeDone) {
                handshakeDone = true;
                handshakeTimer.cancel(false);
                listener.onHandshake(this, ConnectResponse.readFrom(in));
            } else {
                listener.onFrame(this, ReplyHeader.readFrom(in), in);
            }
        } catch (RuntimeException e) {
            close(new IOException("undecodable frame from " + address + ": " + e.getMessage(), e));
        } finally {
            buf.release();
        }
    }

    /** After a good handshake: ping and watch for silence according to the negotiated timeout. */
    void startPinging(int negotiatedTimeoutMs) {
        long readTimeout = Math.max(1, negotiatedTimeoutMs * 2L / 3);
        long pingInterval = Math.max(1, Math.min(readTimeout / 2, MAX_PING_INTERVAL_MS));
        channel.pipeline().addBefore("connection", "idle",
                new IdleStateHandler(readTimeout, pingInterval, 0, TimeUnit.MILLISECONDS));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                close(new IOException("nothing heard from " + address + " for 2/3 of the session timeout"));
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PING_FRAME));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    void write(JuteOutput frame) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(frame.array(), 0, frame.size())).addListener(
                (ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        close(f.cause());
                    }
                });
    }

    void close(Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
        channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        reportClosed(closeCause != null ? closeCause : new IOException("connection to " + address + " closed by the server"));
    }

    private void reportClosed(Throwable cause) {
        if (closeReported) {
            return;
        }
        closeReported = true;
        listener.onClosed(this, cause);
    }

    private static byte[] pingFrame() {
        JuteOutput out = new JuteOutput(12);
        out.writeInt(8);
        new RequestHeader(Xid.PING, OpCode.PING).writeTo(out);
        return out.toByteArray();
    }
}
