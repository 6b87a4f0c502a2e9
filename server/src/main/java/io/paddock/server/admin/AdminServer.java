package io.paddock.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.paddock.server.commands.Commands;
import io.paddock.server.config.ConfigException;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Core;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.tls.ReloadingSslContext;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache ZooKeeper's AdminServer over HTTP: {@code GET <commandURL>} lists the commands,
 * {@code GET <commandURL>/<name>} runs one and answers its JSON ({@code snapshot} answers a snapshot
 * file, see {@link SnapshotCommand}; {@code POST <commandURL>/restore} restores one, see
 * {@link RestoreCommand}); {@code /ready} (200 while the
 * server serves clients, else 503) and {@code /health} (200 while the process runs) serve probes.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** How long a request waits for the core thread before answering 503. */
    private static final long CORE_TIMEOUT_MS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpEndpoint endpoint;

    private AdminServer(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds and serves; throws if the address cannot be bound.
     *
     * @throws java.io.IOException     when the port is taken or the address is not local
     * @throws ConfigException         when HTTPS is asked for and a key or trust store cannot be loaded
     */
    public static AdminServer start(AdminConfig admin, Core core, ServerConfig config, ServerStats stats)
            throws java.io.IOException {
        Commands.Context ctx = new Commands.Context(core, config, stats);
        SnapshotCommand snapshot = new SnapshotCommand(admin);
        RestoreCommand restore = new RestoreCommand(admin, core, config, stats.metrics());
        AdminHttps https = admin.https();
        // The stores are the ssl.quorum.* ones, so they follow the quorum's reload switch.
        HttpEndpoint.Tls tls = https.secure() ? new HttpEndpoint.Tls(
                ReloadingSslContext.forServer(https.tls(), config.quorumAuth().reloadCerts()),
                https.mode() == AdminHttps.Mode.UNIFIED) : null;
        HttpEndpoint endpoint = HttpEndpoint.start("admin server", "paddock-admin", admin.address(), admin.port(),
                admin.idleTimeoutMs(), tls, () -> new RestoreUpload(admin.commandUrl(), restore),
                () -> new Handler(admin.commandUrl(), ctx, snapshot));
        LOG.info("admin server listening on {}:{} (commands under {}; {})", admin.address(), endpoint.port(),
                admin.commandUrl(), switch (https.mode()) {
                    case HTTP -> "plain HTTP";
                    case UNIFIED -> "HTTPS and plain HTTP, admin.portUnification";
                    case HTTPS -> "HTTPS only, admin.forceHttps";
                });
        return new AdminServer(endpoint);
    }

    /**
     * Starts the admin server unless disabled; a failure to bind is logged as a warning and the
     * server runs on without it (as Apache does). Returns null when there is no admin server.
     *
     * @throws ConfigException when HTTPS is asked for and its key or trust store cannot be loaded:
     *                         an operator who asked for HTTPS must not be left with no admin server
     *                         and only a warning to say why
     */
    public static AdminServer startOrWarn(AdminConfig admin, Core core, ServerConfig config, ServerStats stats) {
        if (!admin.enabled()) {
            return null;
        }
        try {
            return start(admin, core, config, stats);
        } catch (ConfigException e) {
            throw e;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("{}; running without the admin server (set admin.serverPort, or admin.enableServer=false)",
                    e.getMessage());
            return null;
        }
    }

    /** The bound port (useful with {@code admin.serverPort=0}). */
    public int port() {
        return endpoint.port();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    /** Every command's primary name, sorted, snapshot (which answers a file) and restore (a POST) included. */
    static Set<String> commandNames() {
        Set<String> names = new TreeSet<>(Commands.primaryNames());
        names.add(SnapshotCommand.NAMES.get(0));
        names.add(RestoreCommand.NAMES.get(0));
        return names;
    }

    /** Writes {@code body} as JSON with the given extra headers. */
    static void sendJson(ChannelHandlerContext chc, boolean keepAlive, HttpResponseStatus status, Object body,
                         Map<String, String> headers) {
        String text;
        try {
            text = JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
            text = "{\"error\": \"cannot write the answer as JSON\"}\n";
        }
        HttpEndpoint.send(chc, keepAlive, status, "application/json; charset=utf-8", text, headers);
    }

    private static void sendJson(ChannelHandlerContext chc, boolean keepAlive, HttpResponseStatus status,
                                 Object body) {
        sendJson(chc, keepAlive, status, body, Map.of());
    }

    /** Routes one HTTP request. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String commandUrl;
        private final Commands.Context ctx;
        private final SnapshotCommand snapshot;

        Handler(String commandUrl, Commands.Context ctx, SnapshotCommand snapshot) {
            this.commandUrl = commandUrl;
            this.ctx = ctx;
            this.snapshot = snapshot;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext chc, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
                HttpEndpoint.send(chc, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET only\n");
                return;
            }
            if (path.equals("/health")) {
                sendJson(chc, keepAlive, HttpResponseStatus.OK, Map.of("status", "ok"));
            } else if (path.equals("/ready")) {
                onCore(c -> c.core().serving(), ready -> {
                    HttpResponseStatus status = ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
                    sendJson(chc, keepAlive, status, Map.of("ready", ready));
                }, chc, keepAlive);
            } else if (path.equals(commandUrl) || path.equals(commandUrl + "/")) {
                HttpEndpoint.send(chc, keepAlive, HttpResponseStatus.OK, "text/html; charset=utf-8", listing());
            } else if (path.startsWith(commandUrl + "/") && path.indexOf('/', commandUrl.length() + 1) < 0) {
                String name = path.substring(commandUrl.length() + 1);
                if (SnapshotCommand.NAMES.contains(name)) {
                    runSnapshot(chc, req, uri, name, keepAlive);
                    return;
                }
                if (RestoreCommand.NAMES.contains(name)) {
                    // A POST never reaches here (RestoreUpload takes it).
                    sendJson(chc, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED,
                            RestoreCommand.body(name, "restore takes a snapshot stream: use POST", null));
                    return;
                }
                Commands.Command command = Commands.find(name);
                // Apache answers 200 even for an unknown command or a server that is not serving; the
                // JSON's error says so (probes use /ready, which answers 503).
                if (command == null) {
                    sendJson(chc, keepAlive, HttpResponseStatus.OK, Commands.unknown(name));
                    return;
                }
                onCore(c -> Commands.json(command, name, c),
                        response -> sendJson(chc, keepAlive, HttpResponseStatus.OK, response), chc, keepAlive);
            } else {
                HttpEndpoint.send(chc, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain", "Not found: " + path + "\n");
            }
        }

        /** The snapshot command: checks and the cut on the core thread, the file sent from here. */
        private void runSnapshot(ChannelHandlerContext chc, FullHttpRequest req, QueryStringDecoder uri, String name,
                                 boolean keepAlive) {
            String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            String remote = chc.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                    ? a.getAddress().getHostAddress() : "";
            // Apache streams unless streaming=<anything but true> is given; a HEAD gets the headers only.
            List<String> streamingParam = uri.parameters().get(SnapshotCommand.STREAMING);
            boolean streaming = !req.method().equals(HttpMethod.HEAD)
                    && (streamingParam == null || Boolean.parseBoolean(streamingParam.get(0)));
            onCore(c -> snapshot.decide(c, authorization, remote),
                    decision -> snapshot.answer(decision, name, streaming, chc, keepAlive), chc, keepAlive);
        }

        /**
         * Computes on the core thread (a consistent view); answers on this connection's thread, so
         * writing the JSON never holds up the core.
         */
        private <T> void onCore(Function<Commands.Context, T> compute, java.util.function.Consumer<T> answer,
                                ChannelHandlerContext chc, boolean keepAlive) {
            ctx.core().ask(c -> compute.apply(ctx)).orTimeout(CORE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((value, error) -> {
                        if (error == null) {
                            answer.accept(value);
                            return;
                        }
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("error", error instanceof TimeoutException
                                ? "the server did not answer within " + CORE_TIMEOUT_MS + " ms" : error.toString());
                        sendJson(chc, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, body);
                    }, chc.executor());
        }

        private String listing() {
            StringBuilder sb = new StringBuilder("<html><head><title>Paddock admin commands</title></head><body>\n"
                    + "<h1>Commands</h1>\n");
            for (String name : commandNames()) {
                sb.append("<a href=\"").append(commandUrl).append('/').append(name).append("\">").append(name)
                        .append("</a><br/>\n");
            }
            return sb.append("</body></html>\n").toString();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext chc, Throwable cause) {
            LOG.debug("admin connection closed after error: {}", cause.toString());
            chc.close();
        }
    }
}
