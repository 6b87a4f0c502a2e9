package io.paddock.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.paddock.server.zab.Msg;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection accepted on the quorum or election port: checks the handshake, reassembles
 * chunked messages and hands each to the transport. Anything malformed closes this connection only.
 */
final class Incoming extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Incoming.class);

    private final PeerTransport transport;
    private final PortKind kind;
    /** Whether the handshake passed, naming the sender {@code peer}. */
    private boolean known;
    private long peer;
    private boolean failed;
    /** The chunks of a message still arriving. */
    private CompositeByteBuf partial;
    private ScheduledFuture<?> handshakeTimer;

    Incoming(PeerTransport transport, PortKind kind) {
        this.transport = transport;
        this.kind = kind;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Someone that connects and says nothing must not hold a socket forever.
        handshakeTimer = ctx.executor().schedule(() -> {
            if (!known) {
                fail(ctx, "no handshake within " + transport.handshakeTimeoutMs() + " ms");
            }
        }, transport.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (failed) {
                return;
            }
            if (!known) {
                handshake(ctx, frame);
            } else {
                chunk(ctx, frame);
            }
        } catch (PeerCodec.MalformedException e) {
            fail(ctx, e.getMessage());
        } finally {
            frame.release();
        }
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf frame) throws PeerCodec.MalformedException {
        PeerCodec.Handshake h = PeerCodec.decodeHandshake(frame);
        if (h.magic() != PeerCodec.MAGIC) {
            fail(ctx, "bad handshake magic 0x" + Integer.toHexString(h.magic()) + ": not a Paddock server");
        } else if (h.version() != PeerCodec.VERSION) {
            fail(ctx, "server " + h.senderId() + " speaks peer protocol version " + h.version() + ", this server "
                    + PeerCodec.VERSION);
        } else if (!transport.isPeer(h.senderId())) {
            fail(ctx, "unknown server id " + h.senderId() + (h.senderId() == transport.myId() ? " (our own)" : "")
                    + "; check the server.N lines");
        } else if (h.portKind() != kind.code) {
            PortKind dialled = PortKind.ofCode(h.portKind());
            fail(ctx, "server " + h.senderId() + " dialled our " + kind.portName() + " as its "
                    + (dialled == null ? "port kind " + h.portKind() : dialled.portName()) + "; check server."
                    + transport.myId());
        } else {
            known = true;
            peer = h.senderId();
            handshakeTimer.cancel(false);
            transport.incomingOpened(peer, kind, ctx.channel());
        }
    }

    private void chunk(ChannelHandlerContext ctx, ByteBuf frame) throws PeerCodec.MalformedException {
        byte flag = frame.readByte();
        if (flag != PeerCodec.LAST && flag != PeerCodec.MORE) {
            throw new PeerCodec.MalformedException("unknown frame flag " + flag);
        }
        long total = (partial == null ? 0 : partial.readableBytes()) + (long) frame.readableBytes();
        if (total > transport.limits().maxMessageBytes()) {
            throw new PeerCodec.MalformedException("message of more than " + transport.limits().maxMessageBytes()
                    + " bytes (the limit)");
        }
        if (flag == PeerCodec.MORE) {
            if (partial == null) {
                // Unbounded components: the default would consolidate (copy) every 16 chunks.
                partial = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            }
            partial.addComponent(true, frame.retain());
            return;
        }
        ByteBuf whole = frame;
        if (partial != null) {
            whole = partial.addComponent(true, frame.retain());
            partial = null;
        }
        Msg msg;
        try {
            msg = PeerCodec.decode(whole);
        } finally {
            if (whole != frame) {
                whole.release();
            }
        }
        if (PortKind.of(msg) != kind) {
            throw new PeerCodec.MalformedException((msg instanceof Msg.Vote ? "a vote" : "a link message") + " on the "
                    + kind.portName());
        }
        transport.deliver(peer, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (partial != null) {
            partial.release();
            partial = null;
        }
        if (known) {
            transport.incomingClosed(peer, kind, ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable why = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (why instanceof PeerCodec.MalformedException) {
            fail(ctx, why.getMessage());
        } else {
            // A reset by a peer that crashed or restarted is routine.
            LOG.debug("{} connection from {} failed", kind.portName(), ctx.channel().remoteAddress(), why);
            failed = true;
            ctx.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (failed) {
            return;
        }
        failed = true;
        LOG.warn("closing {} connection from {}{}: {}", kind.portName(), ctx.channel().remoteAddress(),
                known ? " (server " + peer + ")" : "", why);
        ctx.close();
    }
}
