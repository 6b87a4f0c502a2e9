package io.paddock.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.paddock.server.stats.RateLimitedLog;
import io.paddock.server.zab.Msg;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection accepted on the quorum or election port: checks the handshake (and, when servers
 * authenticate, that the sender is who it claims: its TLS certificate, its SASL exchange),
 * reassembles chunked messages and hands each to the transport. Nothing a sender says counts
 * before that, and anything malformed closes this connection only.
 */
final class Incoming extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Incoming.class);
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);

    private final PeerTransport transport;
    private final PortKind kind;
    /** Whether the handshake passed, naming the sender {@code peer}. */
    private boolean known;
    /** Whether the sender is believed (authenticated, or authentication is not asked for): messages flow. */
    private boolean open;
    private long peer;
    private boolean failed;
    /** The SASL exchange under way, or null. */
    private SaslServer sasl;
    /** The chunks of a message still arriving. */
    private CompositeByteBuf partial;
    private ScheduledFuture<?> handshakeTimer;

    Incoming(PeerTransport transport, PortKind kind) {
        this.transport = transport;
        this.kind = kind;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Someone that connects and says nothing (or never finishes authenticating) must not hold a socket forever.
        handshakeTimer = ctx.executor().schedule(() -> {
            if (!open) {
                fail(ctx, (known ? "no authentication" : "no handshake") + " within " + transport.handshakeTimeoutMs()
                        + " ms");
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
            } else if (!open) {
                authenticate(ctx, frame);
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
            String refused = certificateRefusal(ctx, h.senderId());
            if (refused != null) {
                fail(ctx, refused);
                return;
            }
            known = true;
            peer = h.senderId();
            if (transport.security().sasl() == null) {
                open(ctx);
            }
        }
    }

    /** Why the TLS peer may not speak as server {@code claimed}, or null when it may (or TLS does not check). */
    private String certificateRefusal(ChannelHandlerContext ctx, long claimed) {
        PeerTls tls = transport.security().tls();
        if (tls == null || !tls.hostnameVerification()) {
            return null;
        }
        String host = transport.hostOf(claimed);
        try {
            X509Certificate cert = (X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                    .getPeerCertificates()[0];
            if (PeerTls.names(cert, host)) {
                return null;
            }
            return "claims to be server " + claimed + " (host " + host + "), but its certificate ("
                    + cert.getSubjectX500Principal().getName() + ") names " + PeerTls.namesOf(cert);
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return "claims to be server " + claimed + " but presented no usable certificate: " + e;
        }
    }

    /** One frame of the SASL exchange, which must come before any message when this server does SASL. */
    private void authenticate(ChannelHandlerContext ctx, ByteBuf frame) throws PeerCodec.MalformedException {
        PeerSasl settings = transport.security().sasl();
        byte flag = frame.getByte(frame.readerIndex());
        if (flag != PeerCodec.AUTH) {
            if (settings.serverRequires()) {
                fail(ctx, "server " + peer + " sent messages without SASL authentication, which"
                        + " quorum.auth.serverRequireSasl=true requires");
                return;
            }
            LOG.warn("server {} connected to our {} without SASL authentication; let in because"
                    + " quorum.auth.serverRequireSasl=false", peer, kind.portName());
            open(ctx);
            chunk(ctx, frame);
            return;
        }
        frame.skipBytes(1);
        PeerCodec.AuthFrame f = PeerCodec.decodeAuth(frame);
        if (f.kind() != PeerCodec.AuthKind.TOKEN) {
            throw new PeerCodec.MalformedException("authentication frame " + f.kind() + " from the dialling side");
        }
        try {
            if (sasl == null) {
                sasl = settings.newServer(transport.hostOf(peer));
            }
            byte[] reply = sasl.evaluateResponse(f.token());
            if (!sasl.isComplete()) {
                ctx.writeAndFlush(PeerCodec.encodeAuth(ctx.alloc(), PeerCodec.AuthKind.TOKEN, reply));
                return;
            }
            String user = sasl.getAuthorizationID();
            endSasl();
            ctx.writeAndFlush(PeerCodec.encodeAuth(ctx.alloc(), PeerCodec.AuthKind.SUCCESS, reply));
            LOG.info("server {} authenticated on our {} as SASL user {}", peer, kind.portName(), user);
            open(ctx);
        } catch (SaslException e) {
            String why = "SASL authentication failed: " + e.getMessage();
            ctx.writeAndFlush(PeerCodec.encodeAuth(ctx.alloc(), PeerCodec.AuthKind.FAILURE,
                    why.getBytes(StandardCharsets.UTF_8)));
            fail(ctx, why);
        }
    }

    /** From here on the sender's messages are believed; a live older connection of the same sender is replaced. */
    private void open(ChannelHandlerContext ctx) {
        open = true;
        handshakeTimer.cancel(false);
        transport.incomingOpened(peer, kind, ctx.channel());
    }

    private void endSasl() {
        if (sasl != null) {
            PeerSasl.disposeQuietly(sasl::dispose);
            sasl = null;
        }
    }

    private void chunk(ChannelHandlerContext ctx, ByteBuf frame) throws PeerCodec.MalformedException {
        byte flag = frame.readByte();
        if (flag == PeerCodec.AUTH && transport.security().sasl() == null) {
            // A server configured for SASL asks; this one does none, and says so (the asker decides).
            ctx.writeAndFlush(PeerCodec.encodeAuth(ctx.alloc(), PeerCodec.AuthKind.NOT_OFFERED, null));
            return;
        }
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
        endSasl();
        if (open) {
            transport.incomingClosed(peer, kind, ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable why = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (why instanceof PeerCodec.MalformedException) {
            fail(ctx, why.getMessage());
        } else if (why instanceof SSLException) {
            // A dialler without a trusted certificate; anyone can cause this, so it is rate limited.
            REFUSALS.warn("refused {} connection from {}: TLS failed: {}", kind.portName(), ctx.channel().remoteAddress(),
                    why.getMessage());
            failed = true;
            ctx.close();
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
