package io.paddock.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import io.paddock.server.stats.BurstDetector;
import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.RateLimitedLog;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces maxCnxns (client connections in all) and maxClientCnxns (concurrent connections per
 * client address); 0 means no limit. As in Apache ZooKeeper, the connection that would pass a
 * limit is closed at accept, before its handshake, and the connections already open are
 * unaffected. Counts accepted and rejected connections, and warns (rate-limited) of a connection
 * storm.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    /**
     * New connections within one second that make a storm worth a warning: far beyond clients
     * coming and going, typical of a fleet reconnecting at once or a client stuck in a loop.
     */
    static final int CONNECTION_STORM_THRESHOLD = 500;

    private final int maxTotal;
    private final int maxPerAddress;
    private final Metrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final BurstDetector storm = new BurstDetector(CONNECTION_STORM_THRESHOLD);
    private final RateLimitedLog stormLog = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);
    private final RateLimitedLog rejectLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final RateLimitedLog totalRejectLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);

    ConnectionLimiter(int maxTotal, int maxPerAddress, Metrics metrics) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
    }

    private static InetAddress addressOf(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress addr = addressOf(ctx);
        metrics.connectionRequestCount.increment();
        if (storm.event(1)) {
            stormLog.warn("connection storm: {} or more new client connections within a second; are clients"
                    + " reconnecting all at once, or is one stuck in a connect loop?", CONNECTION_STORM_THRESHOLD);
        }
        // Counted before the checks (and uncounted when it closes), so a refused one counts only briefly.
        int all = total.incrementAndGet();
        ctx.channel().attr(Attrs.COUNTED).set(Boolean.TRUE);
        int n = addr == null ? 0 : counts.computeIfAbsent(addr, a -> new AtomicInteger()).incrementAndGet();
        if (maxTotal > 0 && all > maxTotal) {
            metrics.connectionRejected.increment();
            totalRejectLog.warn("too many connections {} - max is {} (maxCnxns)", all - 1, maxTotal);
            ctx.close();
            return;
        }
        if (addr != null) {
            if (maxPerAddress > 0 && n > maxPerAddress) {
                metrics.connectionRejected.increment();
                rejectLog.warn("too many connections from {} - max is {}", addr.getHostAddress(), maxPerAddress);
                ctx.close();
                return;
            }
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress addr = addressOf(ctx);
        if (Boolean.TRUE.equals(ctx.channel().attr(Attrs.COUNTED).get())) {
            total.decrementAndGet();
            AtomicInteger n = addr == null ? null : counts.get(addr);
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
