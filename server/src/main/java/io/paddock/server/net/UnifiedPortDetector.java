package io.paddock.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * {@code client.portUnification}: looks at a connection's first bytes and puts an SslHandler in
 * its place when they open a TLS record, or steps aside for plaintext. Netty needs five bytes to
 * tell; a four-letter word is only four, so a first byte that cannot start a TLS handshake record
 * decides for plaintext at once.
 */
final class UnifiedPortDetector extends OptionalSslHandler {
    /** The content type byte of a TLS handshake record. */
    private static final byte TLS_HANDSHAKE = 22;

    private final long handshakeTimeoutMs;

    UnifiedPortDetector(SslContext context, long handshakeTimeoutMs) {
        super(context);
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.readableBytes() >= 5) {
            super.decode(ctx, in, out);
        } else if (in.readableBytes() > 0 && in.getByte(in.readerIndex()) != TLS_HANDSHAKE) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    protected SslHandler newSslHandler(ChannelHandlerContext ctx, SslContext context) {
        SslHandler handler = super.newSslHandler(ctx, context);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        return handler;
    }
}
