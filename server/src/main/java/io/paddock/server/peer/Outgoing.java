package io.paddock.server.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.paddock.server.zab.Msg;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's one sending connection to one peer's quorum or election port. It connects when
 * there is something to send, buffers while connecting, streams messages in chunks as fast as the
 * socket takes them, and after a failure waits (20 ms doubling to 1 s) before the next attempt.
 *
 * <p>All state except the inbox belongs to one event loop, which also runs the connection, so
 * nothing here needs a lock.
 */
final class Outgoing {
    private static final Logger LOG = LoggerFactory.getLogger(Outgoing.class);
    static final long INITIAL_BACKOFF_MS = 20;
    static final long MAX_BACKOFF_MS = 1000;
    /** Netty stops taking writes above this; we keep the rest queued as messages, not bytes. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private enum State { IDLE, CONNECTING, UP }

    private final PeerTransport transport;
    private final PeerAddress peer;
    private final PortKind kind;
    private final EventLoop loop;
    private final Bootstrap bootstrap;

    /** Messages from any thread, moved to {@link #queue} by the loop; one drain task per batch. */
    private final Queue<Msg> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    private final ArrayDeque<Msg> queue = new ArrayDeque<>();
    /** Encoded size of {@link #queue}. */
    private long queuedBytes;
    /** The rest of the message being streamed, or null. */
    private ByteBuf current;
    private State state = State.IDLE;
    private Channel channel;
    private long upSinceNanos;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private long nextAttemptNanos = System.nanoTime();
    /** Whether the last attempt failed, so repeated failures log quietly. */
    private boolean failing;
    private boolean shut;
    /** The SASL exchange of the connection being authenticated (state CONNECTING with a channel), or null. */
    private SaslClient sasl;
    /** The last TLS failure logged, so a retry that fails the same way stays quiet. */
    private String lastTlsError;

    Outgoing(PeerTransport transport, PeerAddress peer, PortKind kind, EventLoop loop) {
        this.transport = transport;
        this.peer = peer;
        this.kind = kind;
        this.loop = loop;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, transport.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PeerTls tls = transport.security().tls();
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.clientHandler(ch.alloc(), peer.host(), peer.port(kind)));
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder()).addLast(new Handler());
                    }
                });
    }

    /** Queues {@code msg}; any thread, never blocks. */
    void send(Msg msg) {
        inbox.add(msg);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                inbox.clear(); // the transport is closing
            }
        }
    }

    /** Drops everything and closes the connection; on the loop, at transport close. */
    void shutdown() {
        shut = true;
        inbox.clear();
        dropQueue();
        if (channel != null) {
            channel.close();
            channel = null;
        }
        state = State.IDLE;
    }

    EventLoop loop() {
        return loop;
    }

    private void drain() {
        drainScheduled.set(false);
        for (Msg msg; (msg = inbox.poll()) != null; ) {
            accept(msg);
        }
        if (state == State.UP) {
            pump();
        }
    }

    private void accept(Msg msg) {
        if (shut) {
            return;
        }
        if (queue.size() >= transport.limits().maxQueuedMessages()) {
            lose(queue.size() + " messages waiting (the limit)");
            return;
        }
        queue.add(msg);
        queuedBytes += PeerCodec.encodedSize(msg);
        if (state == State.IDLE) {
            attempt();
        } else if (state == State.CONNECTING && queue.size() > 1
                && queuedBytes - PeerCodec.encodedSize(queue.peek()) > transport.limits().maxPendingBytes()) {
            // The same byte bound as behind a slow socket, with the first message as the one in flight.
            lose(queuedBytes + " bytes waiting for the connection (the limit is "
                    + transport.limits().maxPendingBytes() + ")");
        }
    }

    /** Writes while the socket takes it, then flushes once; closes a connection whose peer does not read. */
    private void pump() {
        Channel ch = channel;
        boolean wrote = false;
        while (ch.isWritable()) {
            if (current == null) {
                Msg msg = queue.poll();
                if (msg == null) {
                    break;
                }
                queuedBytes -= PeerCodec.encodedSize(msg);
                current = PeerCodec.encode(msg, ch.alloc());
            }
            int n = Math.min(PeerCodec.CHUNK_BYTES, current.readableBytes());
            boolean last = n == current.readableBytes();
            ch.write(ch.alloc().buffer(5).writeInt(n + 1).writeByte(last ? PeerCodec.LAST : PeerCodec.MORE),
                    ch.voidPromise());
            ch.write(current.readRetainedSlice(n), ch.voidPromise());
            if (last) {
                current.release();
                current = null;
            }
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
        // The message being streamed does not count: one snapshot may be bigger than the bound.
        if (!ch.isWritable() && queuedBytes > transport.limits().maxPendingBytes()) {
            lose(queuedBytes + " bytes waiting behind an unwritable socket (the limit is "
                    + transport.limits().maxPendingBytes() + ")");
        }
    }

    /** Messages are dropped: tell the core, and start over with a new connection when needed. */
    private void lose(String why) {
        LOG.warn("dropping messages to server {} on its {}: {}", peer.id(), kind.portName(), why);
        dropQueue();
        if (state == State.UP) {
            Channel ch = channel;
            connectionClosed(ch);
            ch.close();
        } else {
            transport.peerDown(peer.id());
        }
    }

    private void attempt() {
        state = State.CONNECTING;
        long delay = nextAttemptNanos - System.nanoTime();
        if (delay > 0) {
            loop.schedule(this::resolve, delay, TimeUnit.NANOSECONDS);
        } else {
            resolve();
        }
    }

    /** Resolves the host afresh (it may have moved) off the loop, as a lookup can take seconds. */
    private void resolve() {
        if (shut) {
            return;
        }
        try {
            transport.resolver().execute(() -> {
                InetSocketAddress address = new InetSocketAddress(peer.host(), peer.port(kind));
                try {
                    loop.execute(() -> connect(address));
                } catch (RejectedExecutionException e) {
                    // closing
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void connect(InetSocketAddress address) {
        if (shut) {
            return;
        }
        if (address.isUnresolved()) {
            attemptFailed(address, "cannot resolve " + peer.host());
            return;
        }
        bootstrap.connect(address).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                connected(f.channel());
            } else {
                attemptFailed(address, String.valueOf(f.cause()));
            }
        });
    }

    private void connected(Channel ch) {
        if (shut) {
            ch.close();
            return;
        }
        if (failing) {
            LOG.info("connected to server {} on its {} at {}", peer.id(), kind.portName(), ch.remoteAddress());
            failing = false;
        }
        transport.track(ch);
        channel = ch;
        upSinceNanos = System.nanoTime();
        ch.closeFuture().addListener(f -> connectionClosed(ch));
        ByteBuf handshake = PeerCodec.encodeHandshake(ch.alloc(), transport.myId(), kind);
        ch.write(ch.alloc().buffer(4).writeInt(handshake.readableBytes()), ch.voidPromise());
        ch.write(handshake, ch.voidPromise());
        PeerSasl settings = transport.security().sasl();
        if (settings == null) {
            ch.flush();
            up();
            return;
        }
        // Messages wait (state CONNECTING) until the dialled server has accepted who we are.
        try {
            sasl = settings.newClient(peer.host());
            byte[] first = sasl.hasInitialResponse() ? sasl.evaluateChallenge(new byte[0]) : new byte[0];
            ch.writeAndFlush(PeerCodec.encodeAuth(ch.alloc(), PeerCodec.AuthKind.TOKEN, first), ch.voidPromise());
        } catch (SaslException e) {
            refuse(ch, "cannot start SASL authentication: " + e.getMessage());
            return;
        }
        loop.schedule(() -> {
            if (ch == channel && state == State.CONNECTING) {
                refuse(ch, "no answer to our SASL authentication within " + transport.handshakeTimeoutMs() + " ms");
            }
        }, transport.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    private void up() {
        endSasl();
        lastTlsError = null;
        state = State.UP;
        pump();
    }

    /** One frame of the SASL exchange from the dialled server. */
    private void authStep(Channel ch, ByteBuf frame) throws PeerCodec.MalformedException {
        if (frame.readByte() != PeerCodec.AUTH) {
            throw new PeerCodec.MalformedException("a message frame from the server we dialled");
        }
        PeerCodec.AuthFrame f = PeerCodec.decodeAuth(frame);
        PeerSasl settings = transport.security().sasl();
        try {
            switch (f.kind()) {
                case TOKEN -> ch.writeAndFlush(PeerCodec.encodeAuth(ch.alloc(), PeerCodec.AuthKind.TOKEN,
                        sasl.evaluateChallenge(f.token())), ch.voidPromise());
                case SUCCESS -> {
                    if (f.token().length > 0) {
                        sasl.evaluateChallenge(f.token()); // DIGEST-MD5's rspauth: the server knew the password too
                    }
                    if (!sasl.isComplete()) {
                        refuse(ch, "it ended the SASL exchange before it was complete");
                        return;
                    }
                    up();
                }
                case FAILURE -> refuse(ch, "it refused our SASL authentication: "
                        + new String(f.token(), StandardCharsets.UTF_8));
                case NOT_OFFERED -> {
                    if (settings.learnerRequires()) {
                        refuse(ch, "it does no SASL authentication, which quorum.auth.learnerRequireSasl=true requires");
                    } else {
                        LOG.warn("server {} does no SASL authentication on its {}; sending unauthenticated because"
                                + " quorum.auth.learnerRequireSasl=false", peer.id(), kind.portName());
                        up();
                    }
                }
                default -> throw new IllegalStateException("unknown kind " + f.kind());
            }
        } catch (SaslException e) {
            refuse(ch, "SASL authentication failed: " + e.getMessage());
        }
    }

    private void refuse(Channel ch, String why) {
        LOG.warn("connection to server {} on its {} closed: {}", peer.id(), kind.portName(), why);
        endSasl();
        ch.close();
    }

    private void endSasl() {
        if (sasl != null) {
            PeerSasl.disposeQuietly(sasl::dispose);
            sasl = null;
        }
    }

    private void attemptFailed(InetSocketAddress address, String why) {
        if (shut) {
            return;
        }
        if (failing) {
            LOG.debug("cannot connect to server {} on its {} at {}: {}", peer.id(), kind.portName(), address, why);
        } else {
            LOG.info("cannot connect to server {} on its {} at {}: {}; retrying while there is something to send",
                    peer.id(), kind.portName(), address, why);
            failing = true;
        }
        state = State.IDLE;
        backOff();
        if (!queue.isEmpty()) {
            dropQueue();
            transport.peerDown(peer.id());
        }
    }

    /** Once per connection: the state is reset and the core told, whatever closed it. */
    private void connectionClosed(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        state = State.IDLE;
        endSasl();
        dropQueue();
        // A connection that lived a while was healthy: retry soon. One that died at once (the peer
        // rejects us) backs off further.
        if (System.nanoTime() - upSinceNanos > TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MS)) {
            backoffMs = INITIAL_BACKOFF_MS;
        }
        backOff();
        if (!shut) {
            LOG.info("connection to server {} on its {} closed", peer.id(), kind.portName());
            transport.peerDown(peer.id());
        }
    }

    private void backOff() {
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    private void dropQueue() {
        queue.clear();
        queuedBytes = 0;
        if (current != null) {
            current.release();
            current = null;
        }
    }

    /**
     * The connection only sends, once authenticated: before that it reads the SASL exchange; after,
     * it discards anything the peer writes. It also watches for writability.
     */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ctx.channel() == channel && state == State.CONNECTING && sasl != null) {
                    authStep(ctx.channel(), (ByteBuf) msg);
                }
            } catch (PeerCodec.MalformedException e) {
                refuse(ctx.channel(), e.getMessage());
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && ctx.channel().isWritable()) {
                pump();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable why = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (why instanceof SSLException) {
                // A certificate problem repeats on every retry: say it once, until it changes.
                String text = String.valueOf(why.getMessage());
                if (!text.equals(lastTlsError)) {
                    LOG.warn("TLS with server {} on its {} failed: {}", peer.id(), kind.portName(), text);
                    lastTlsError = text;
                }
            } else {
                LOG.debug("connection to server {} on its {} failed", peer.id(), kind.portName(), cause);
            }
            ctx.close();
        }
    }
}
