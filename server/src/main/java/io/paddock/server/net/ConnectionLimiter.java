package io.paddock.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces maxClientCnxns: at most that many concurrent connections per client address (0 means
 * no limit). An excess connection is closed at accept; every other client is unaffected.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    private static InetAddress addressOf(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress addr = addressOf(ctx);
        if (addr != null) {
            int n = counts.computeIfAbsent(addr, a -> new AtomicInteger()).incrementAndGet();
            ctx.channel().attr(Attrs.COUNTED).set(Boolean.TRUE);
            if (maxPerAddress > 0 && n > maxPerAddress) {
                LOG.warn("too many connections from {} - max is {}", addr.getHostAddress(), maxPerAddress);
                ctx.close();
                return;
            }
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress addr = addressOf(ctx);
        if (addr != null && Boolean.TRUE.equals(ctx.channel().attr(Attrs.COUNTED).get())) {
            AtomicInteger n = counts.get(addr);
            if (n != null && n.decrementAndGet() <= 0) {
                counts.remove(addr, n);
            }
        }
        ctx.fireChannelInactive();
    }

    private static final class Attrs {
        static final io.netty.util.AttributeKey<Boolean> COUNTED = io.netty.util.AttributeKey.valueOf("paddock.counted");
    }
}
