package io.paddock.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.paddock.protocol.AuthPacket;
import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.GetSASLRequest;
import io.paddock.protocol.Id;
import io.paddock.protocol.JuteException;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Record;
import io.paddock.protocol.RecordTooLargeException;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.SetSASLResponse;
import io.paddock.server.auth.Digest;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Connection;
import io.paddock.server.core.ConnectionFigures;
import io.paddock.server.core.Core;
import io.paddock.server.sasl.SaslExchange;
import io.paddock.server.session.LocalSession;
import io.paddock.server.stats.RateLimitedLog;
import io.paddock.server.stats.ServerStats;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the handshake, request decoding, the requests answered on the network
 * thread (ping, auth, sasl) and the buffered output the core writes replies into. Inbound work
 * runs on the channel's event loop; {@link Connection} methods run on the core thread.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Many silent sockets at once are one event to report, not one line each. */
    private static final RateLimitedLog NO_HANDSHAKE = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
    private static final RateLimitedLog TOO_LARGE = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
    private static final RateLimitedLog UNREAD = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
    private static final RateLimitedLog LARGE = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
    private static final ThreadLocal<JuteOutput> ENCODER = ThreadLocal.withInitial(() -> new JuteOutput(4096));

    /** REFUSED: closed before its handshake reached the core, which never hears of it. */
    private enum State { AWAIT_CONNECT, HANDSHAKING, ACTIVE, CLOSED, REFUSED }

    private final Core core;
    private final ServerConfig config;
    private final ServerStats stats;
    private final FourLetterWords fourLetterWords;
    private final Throttle throttle;
    private final Throttles throttles;
    /** Large requests not yet answered, oldest first: {arrival number, bytes}; guarded by itself. */
    private final ArrayDeque<long[]> largeHeld = new ArrayDeque<>();
    /** Requests handed on, and those answered or given up since (under largeHeld, while large requests are counted). */
    private long arrived;
    private long settled;
    private final ConnectionStats connStats = new ConnectionStats();
    private final AtomicInteger outstanding = new AtomicInteger();
    private Channel channel;
    private String remote = "";
    private volatile List<Id> identities = List.of();
    /** This connection's SASL exchange, begun by its first sasl request. */
    private SaslExchange sasl;
    /** Refused by enforced authentication: it is being closed, and nothing more it sends is read. */
    private boolean refusedUnauthenticated;
    private volatile LocalSession session;
    private State state = State.AWAIT_CONNECT;
    private final List<ByteBuf> heldFrames = new ArrayList<>();
    /** Output buffered by the core thread until its next flush. */
    private ByteBuf pendingOut;
    private boolean closeAfterFlush;

    ClientConnection(Core core, ServerConfig config, ServerStats stats, FourLetterWords fourLetterWords,
                     Throttles throttles) {
        this.core = core;
        this.throttles = throttles;
        this.throttle = throttles.outstanding();
        this.config = config;
        this.stats = stats;
        this.fourLetterWords = fourLetterWords;
    }


    // ------------------------------------------------------------------ inbound (event loop)

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (channel.remoteAddress() instanceof InetSocketAddress isa) {
            remote = "/" + isa.getAddress().getHostAddress() + ":" + isa.getPort();
            identities = List.of(new Id("ip", isa.getAddress().getHostAddress()));
        }
        // Until the handshake has arrived whole, nothing else bounds how long the socket stays open.
        ctx.executor().schedule(() -> {
            if (state == State.AWAIT_CONNECT && channel.isOpen()) {
                NO_HANDSHAKE.warn("closing {}: no handshake within {} ms", remote, config.handshakeTimeoutMs());
                channel.close();
            }
        }, config.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FourLetterWord w) {
            fourLetterWords.answer(w, ctx.channel());
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        // The frame's length prefix was read off by the decoder; it came over the wire too.
        stats.metrics().bytesReceivedCount.add(4L + frame.readableBytes());
        switch (state) {
            case AWAIT_CONNECT -> {
                try {
                    handshake(frame);
                } finally {
                    frame.release();
                }
            }
            case HANDSHAKING -> heldFrames.add(frame);
            case ACTIVE -> {
                try {
                    request(frame);
                } finally {
                    frame.release();
                }
            }
            case CLOSED, REFUSED -> frame.release();
        }
    }

    private void handshake(ByteBuf frame) {
        stats.packetReceived();
        connStats.received();
        ConnectRequest req;
        try {
            req = ConnectRequest.readFrom(new JuteInput(frame.nioBuffer(), config.juteMaxBuffer()));
        } catch (JuteException e) {
            LOG.info("closing {}: malformed connect request: {}", remote, e.getMessage());
            channel.close();
            return;
        }
        if (!throttles.admitHandshake(req.sessionId())) {
            // As Apache: refused before any session work, closed without an answer (the client retries).
            LOG.debug("closing {}: new connections come faster than connection_throttle_* allow", remote);
            state = State.REFUSED;
            channel.close();
            return;
        }
        state = State.HANDSHAKING;
        // Requests pipelined behind the handshake wait until the session is settled.
        channel.config().setAutoRead(false);
        core.connect(this, req);
    }

    private void activate() {
        if (state != State.HANDSHAKING) {
            return;
        }
        state = State.ACTIVE;
        for (ByteBuf frame : heldFrames) {
            try {
                request(frame);
            } finally {
                frame.release();
            }
        }
        heldFrames.clear();
        channel.config().setAutoRead(!refusedUnauthenticated);
    }

    private void request(ByteBuf frame) {
        if (state != State.ACTIVE || refusedUnauthenticated) {
            return;
        }
        stats.packetReceived();
        connStats.received();
        long now = System.nanoTime();
        LocalSession s = session;
        if (s != null) {
            s.touch(now / 1_000_000);
        }
        if (frame.readableBytes() < 8) {
            LOG.info("closing {}: frame of {} bytes cannot hold a request header", remote, frame.readableBytes());
            closeNow();
            return;
        }
        int size = frame.readableBytes();
        boolean large = throttles.large().isLarge(size);
        if (large && !throttles.large().reserve(size)) {
            // As Apache: no error code, the connection is closed; the client keeps its session and reconnects.
            LARGE.warn("closing {}: a request of {} bytes would pass largeRequestMaxBytes={} with the large requests"
                    + " (over largeRequestThreshold={}) in flight", remote, size, throttles.large().maxBytes(),
                    throttles.large().threshold());
            closeNow();
            return;
        }
        JuteInput in = new JuteInput(frame.nioBuffer(), config.juteMaxBuffer());
        int xid = in.readInt();
        int op = in.readInt();
        Record body = null;
        int decodeError = 0;
        if (op == OpCode.AUTH) {
            // The identity counts from the next request on, so it is added now; the reply, though,
            // is queued in request order (kazoo pairs it with the oldest request it is waiting for).
            decodeError = authenticate(in);
        } else if (op == OpCode.SASL) {
            // Evaluated here, like auth, so the identity counts from the next request on; the core
            // sends the answer (a token even on failure: Apache's client reads one) and closes on failure.
            SaslExchange.Step step = saslStep(in);
            body = new SetSASLResponse(step.token());
            decodeError = step.err();
        } else if (!config.clientAuth().admits(identities)) {
            // Enforced authentication: Apache refuses any other op (ping and closeSession too) and
            // drops the connection; the session lives on until it expires.
            LOG.warn("closing {}: it has not authenticated with any of {} (enforce.auth.schemes)", remote,
                    config.clientAuth().enforcedSchemes());
            decodeError = ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH.code();
            refusedUnauthenticated = true;
            channel.config().setAutoRead(false);
        } else {
            try {
                body = RequestDecoder.decode(op, in);
            } catch (JuteException e) {
                LOG.debug("malformed op {} from {}: {}", op, remote, e.getMessage());
                decodeError = ErrorCode.MARSHALLING_ERROR.code();
            }
        }
        boolean overGlobal = throttle.acquire();
        if (outstanding.incrementAndGet() >= config.maxOutstandingPerConnection()) {
            channel.config().setAutoRead(false);
        }
        arrived(large ? size : 0);
        if (throttles.requests().enabled()) {
            throttles.requests().offer(new Queued(this, identities, xid, op, body, decodeError, now));
        } else {
            core.request(this, identities, xid, op, body, decodeError, now);
        }
        if (overGlobal) {
            channel.config().setAutoRead(false);
            throttle.pause(this);
        }
    }

    /** Applies an auth packet to this connection's identities; returns 0 or AuthFailed. */
    private int authenticate(JuteInput in) {
        AuthPacket packet;
        try {
            packet = AuthPacket.readFrom(in);
        } catch (JuteException e) {
            return ErrorCode.AUTH_FAILED.code();
        }
        String scheme = packet.scheme();
        if ("digest".equals(scheme) && config.digestAuthEnabled()) {
            String text = packet.auth() == null ? "" : new String(packet.auth(), StandardCharsets.UTF_8);
            String digest = Digest.identity(text);
            Id proven = new Id("digest", digest);
            addIdentities(digest.equals(config.superDigest()) ? List.of(proven, new Id("super", "")) : List.of(proven));
            return 0;
        } else if ("ip".equals(scheme)) {
            return 0;
        }
        LOG.info("auth failed for {}: unsupported scheme {}", remote, scheme);
        return ErrorCode.AUTH_FAILED.code();
    }

    /** One step of the SASL exchange; identities it proves are added at once. */
    private SaslExchange.Step saslStep(JuteInput in) {
        byte[] token;
        try {
            token = GetSASLRequest.readFrom(in).token();
        } catch (JuteException e) {
            token = null;
        }
        if (sasl == null) {
            sasl = new SaslExchange(config.clientAuth(), remote);
        }
        SaslExchange.Step step = sasl.step(token);
        addIdentities(step.gained());
        return step;
    }

    /** Adds identities this connection proved (each once); they count from its next request on. */
    private void addIdentities(List<Id> proven) {
        if (proven.isEmpty()) {
            return;
        }
        List<Id> next = new ArrayList<>(identities);
        for (Id id : proven) {
            if (!next.contains(id)) {
                next.add(id);
            }
        }
        identities = List.copyOf(next);
    }

    private ByteBuf encode(Channel ch, Record header, Record body) {
        JuteOutput enc = ENCODER.get();
        enc.reset();
        enc.limit(maxReplyBytes());
        enc.writeInt(0);
        header.writeTo(enc);
        if (body != null) {
            body.writeTo(enc);
        }
        enc.setInt(0, enc.size() - 4);
        ByteBuf buf = ch.alloc().buffer(enc.size());
        buf.writeBytes(enc.array(), 0, enc.size());
        return buf;
    }

    private void closeNow() {
        state = State.CLOSED;
        channel.close();
    }

    /** Whether this connection may read more: its replies drain, and it is under its own bound. */
    private boolean mayRead() {
        return state == State.ACTIVE && !refusedUnauthenticated && channel.isWritable()
                && outstanding.get() < config.maxOutstandingPerConnection();
    }

    /** Called by the throttle once the server-wide backlog has drained (any thread). */
    void resumeReading() {
        channel.eventLoop().execute(() -> {
            if (mayRead()) {
                channel.config().setAutoRead(true);
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A client that does not read its replies stops being read from, so it cannot grow our buffers.
        if (state == State.ACTIVE) {
            ctx.channel().config().setAutoRead(mayRead());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State previous = state;
        state = State.CLOSED;
        for (ByteBuf frame : heldFrames) {
            frame.release();
        }
        heldFrames.clear();
        if (previous != State.AWAIT_CONNECT && previous != State.REFUSED) {
            core.disconnected(this);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof TlsIdentities tls) {
            // Proved by the TLS handshake, which ends before the first request is read.
            addIdentities(tls.ids());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing {} after error: {}", remote, cause.toString());
        ctx.close();
    }

    // ------------------------------------------------------------------ Connection (core thread)

    @Override
    public long sessionId() {
        LocalSession s = session;
        return s == null ? 0 : s.id();
    }

    @Override
    public List<Id> identities() {
        return identities;
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public ConnectionFigures figures() {
        ConnectionStats s = connStats;
        return new ConnectionFigures(remote, outstanding.get(), s.received0(), s.sent0(), s.sessionId(), s.lastOp(),
                s.createdMs(), s.timeoutMs(), s.lastCxid(), s.lastZxid(), s.lastResponseMs(), s.lastLatencyMs(),
                s.minLatencyMs(), s.avgLatencyMs(), s.maxLatencyMs());
    }

    @Override
    public void resetFigures() {
        connStats.reset();
    }

    /**
     * The largest reply frame, length prefix included: jute.maxbuffer plus room for the reply
     * header and a Stat, so the largest znode the server accepts can still be read back. Apache's
     * client drops its connection on a longer packet; building one can exhaust the heap (300
     * getData of a 1 MB znode in one multiRead is 300 MB).
     */
    private int maxReplyBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, 4L + config.juteMaxBuffer() + 1024);
    }

    @Override
    public void send(ReplyHeader header, Record body) {
        ByteBuf frame;
        try {
            frame = encode(channel, header, body);
        } catch (RecordTooLargeException e) {
            // No error code says "too large", and the client would drop the packet anyway: close
            // this connection (the client sees a connection loss and keeps its session).
            TOO_LARGE.warn("closing {}: the reply to xid {} would exceed {} bytes (jute.maxbuffer {})", remote,
                    header.xid(), maxReplyBytes(), config.juteMaxBuffer());
            abort();
            return;
        }
        if (pendingOut == null) {
            pendingOut = channel.alloc().buffer(Math.max(1024, frame.readableBytes()));
        }
        pendingOut.writeBytes(frame);
        frame.release();
        long queued = queuedBytes();
        if (queued > config.maxQueuedBytesPerConnection()) {
            // The water mark stops reading from a client that does not read, but the requests it had
            // already sent are still answered; their replies must not pile up without bound.
            UNREAD.warn("closing {}: {} bytes of replies wait unread, more than paddock.maxQueuedBytesPerConnection={}",
                    remote, queued, config.maxQueuedBytesPerConnection());
            abort();
            return;
        }
        stats.packetSent();
        connStats.sent();
    }

    /**
     * Reply bytes not yet on the wire: this batch's, and those handed to Netty (which counts a write
     * from another thread as pending as soon as it is submitted; the counter is safe to read here).
     */
    private long queuedBytes() {
        ChannelOutboundBuffer inNetty = channel.unsafe().outboundBuffer();
        return (inNetty == null ? 0 : inNetty.totalPendingWriteBytes()) + (pendingOut == null ? 0 : pendingOut.readableBytes());
    }

    @Override
    public void sendConnectResponse(ConnectResponse response, LocalSession newSession) {
        ByteBuf frame = encode(channel, response, null);
        if (pendingOut == null) {
            pendingOut = channel.alloc().buffer(Math.max(256, frame.readableBytes()));
        }
        pendingOut.writeBytes(frame);
        frame.release();
        stats.packetSent();
        connStats.sent();
        if (newSession == null) {
            closeAfterFlush = true;
            return;
        }
        this.session = newSession;
        connStats.established(newSession.id(), response.timeOut());
        // The handshake answer must be on the wire before anything else: requests held behind the
        // handshake are replayed by activate(), and auth/sasl are answered there at once. Both
        // tasks go to the channel's event loop in this order, so the answer is written first.
        ByteBuf out = pendingOut;
        pendingOut = null;
        channel.writeAndFlush(out, channel.voidPromise());
        channel.eventLoop().execute(this::activate);
    }

    @Override
    public void flush() {
        ByteBuf out = pendingOut;
        pendingOut = null;
        if (closeAfterFlush) {
            channel.writeAndFlush(out == null ? Unpooled.EMPTY_BUFFER : out).addListener(ChannelFutureListener.CLOSE);
        } else if (out != null) {
            channel.writeAndFlush(out, channel.voidPromise());
        }
    }

    @Override
    public void close() {
        closeAfterFlush = true;
        flush();
    }

    @Override
    public void abort() {
        if (pendingOut != null) {
            pendingOut.release();
            pendingOut = null;
        }
        channel.close();
    }

    @Override
    public void discarded(int requests) {
        for (int i = 0; i < requests; i++) {
            throttle.release();
            outstanding.decrementAndGet();
            throttles.requests().finished();
        }
        settled(requests);
    }

    @Override
    public void replied(int xid, int op, long zxid, long latencyMs) {
        connStats.replied(xid, op, zxid, latencyMs);
        throttle.release();
        throttles.requests().finished();
        settled(1);
        int left = outstanding.decrementAndGet();
        if (left == config.maxOutstandingPerConnection() / 2) {
            resumeReading();
        }
    }

    /** A request the request throttle gave up before the core saw it (its connection had closed). */
    private void droppedUnanswered() {
        throttle.release();
        outstanding.decrementAndGet();
        settled(1);
    }

    /** Counts a request handed on, holding its bytes when it is large; only while large requests are counted. */
    private void arrived(int largeBytes) {
        if (throttles.large().threshold() == -1) {
            return;
        }
        synchronized (largeHeld) {
            arrived++;
            if (largeBytes > 0) {
                largeHeld.add(new long[] {arrived, largeBytes});
            }
        }
    }

    /**
     * Counts requests answered or given up, and gives back the bytes of the large ones among them: a
     * connection's requests settle in the order they arrived (the core answers each session in order).
     */
    private void settled(int requests) {
        if (throttles.large().threshold() == -1) {
            return;
        }
        synchronized (largeHeld) {
            settled += requests;
            long[] head;
            while ((head = largeHeld.peek()) != null && head[0] <= settled) {
                largeHeld.poll();
                throttles.large().release((int) head[1]);
            }
        }
    }

    /** A request on its way to the core, through the request throttle. */
    private record Queued(ClientConnection conn, List<Id> identities, int xid, int op, Record body, int decodeError,
                          long receivedNanos) implements RequestThrottler.Item {
        @Override
        public void submit() {
            conn.core.request(conn, identities, xid, op, body, decodeError, receivedNanos);
        }

        @Override
        public boolean stale() {
            // closeSession still matters once the connection is gone: it ends the session now, not at expiry.
            return op != OpCode.CLOSE_SESSION && !conn.channel.isActive();
        }

        @Override
        public void drop() {
            conn.droppedUnanswered();
        }
    }

    @Override
    public String toString() {
        return "connection " + remote + " session 0x" + Long.toHexString(sessionId());
    }
}
