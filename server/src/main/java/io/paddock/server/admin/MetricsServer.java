package io.paddock.server.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.paddock.server.core.Core;
import io.paddock.server.stats.ServerStats;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} in Prometheus's text format where Apache's Prometheus provider
 * does ({@code metricsProvider.httpHost:httpPort}). The gauges are read on the core thread; the
 * page is written on the endpoint's own thread, off the request path.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    /** How long a scrape waits for the core thread; past it the page is served without the gauges. */
    private static final long CORE_TIMEOUT_MS = 5_000;

    private final HttpEndpoint endpoint;

    private MetricsServer(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds and serves; a disabled configuration gives null. As with Apache's provider, a port that
     * cannot be bound stops the server from starting.
     *
     * @param voters the ensemble's voting members, for {@code quorum_size}
     * @throws IOException when the address cannot be bound
     */
    public static MetricsServer start(MetricsConfig config, Core core, ServerStats stats, int voters)
            throws IOException {
        if (!config.enabled()) {
            return null;
        }
        HttpEndpoint endpoint = HttpEndpoint.start("Prometheus metrics endpoint (metricsProvider.httpHost, metricsProvider.httpPort)",
                "paddock-metrics", config.host(), config.port(), HttpEndpoint.DEFAULT_IDLE_TIMEOUT_MS,
                () -> new Handler(core, stats, voters, config.exportJvmInfo()));
        LOG.info("Prometheus metrics at http://{}:{}/metrics", config.host(), endpoint.port());
        return new MetricsServer(endpoint);
    }

    /** The bound port (useful with {@code metricsProvider.httpPort=0}). */
    public int port() {
        return endpoint.port();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Core core;
        private final ServerStats stats;
        private final int voters;
        private final boolean jvm;

        Handler(Core core, ServerStats stats, int voters, boolean jvm) {
            this.core = core;
            this.stats = stats;
            this.voters = voters;
            this.jvm = jvm;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext chc, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = new QueryStringDecoder(req.uri()).path();
            if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
                HttpEndpoint.send(chc, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET only\n");
                return;
            }
            if (!path.equals("/metrics")) {
                HttpEndpoint.send(chc, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain",
                        "Not found: " + path + " (metrics are at /metrics)\n");
                return;
            }
            // Rendered on this endpoint's thread: the core thread only reads the gauges.
            core.ask(c -> MetricsPage.gauges(c, stats, voters)).orTimeout(CORE_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenCompleteAsync((g, error) -> {
                if (error != null) {
                    // A stuck core is itself news: serve what is recorded, without the live gauges.
                    LOG.warn("metrics scrape: the core thread did not answer ({}); serving without gauges",
                            error.toString());
                    g = Map.of();
                }
                HttpEndpoint.send(chc, keepAlive, HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE,
                        MetricsPage.render(g, stats.metrics(), jvm));
            }, chc.executor());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext chc, Throwable cause) {
            LOG.debug("metrics connection closed after error: {}", cause.toString());
            chc.close();
        }
    }
}
