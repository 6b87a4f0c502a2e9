package io.paddock.server.commands;

import io.paddock.server.core.Connection;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Apache's text for each four-letter word, written from its command's facts (monitoring scripts
 * and exporters parse these texts). The asking connection is a client connection too, so srvr,
 * stat and mntr count it where the admin server does not count its own.
 */
final class TextForms {
    private TextForms() {
    }

    /** srvr; stat when the facts list the connections. */
    static String serverStats(Map<String, Object> f, Commands.Context ctx, String asker) {
        Map<String, Object> s = map(f.get("server_stats"));
        StringBuilder sb = new StringBuilder();
        sb.append("Zookeeper version: ").append(f.get("version")).append('\n');
        if (f.containsKey("connections")) {
            sb.append("Clients:\n");
            for (Map<String, Object> conn : maps(f.get("connections"))) {
                sb.append(' ').append(connection(conn)).append(")\n");
            }
            sb.append(' ').append(asker).append("[0](queued=0,recved=1,sent=0)\n\n");
        }
        sb.append("Latency min/avg/max: ").append(s.get("min_latency")).append('/').append(s.get("avg_latency"))
                .append('/').append(s.get("max_latency")).append('\n');
        sb.append("Received: ").append(s.get("packets_received")).append('\n');
        sb.append("Sent: ").append(s.get("packets_sent")).append('\n');
        sb.append("Connections: ").append(withAsker(s.get("num_alive_client_connections"))).append('\n');
        sb.append("Outstanding: ").append(s.get("outstanding_requests")).append('\n');
        sb.append("Zxid: 0x").append(hex(s.get("last_processed_zxid"))).append('\n');
        sb.append("Mode: ").append(s.get("server_state")).append('\n');
        // Apache counts the root twice; scripts compare this figure, so Paddock does too.
        sb.append("Node count: ").append(f.get("node_count")).append('\n');
        Map<String, Object> proposals = map(f.get("proposal_stats"));
        if (proposals != null) {
            sb.append("Proposal sizes last/min/max: ").append(proposals.get("last_buffer_size")).append('/')
                    .append(proposals.get("min_buffer_size")).append('/').append(proposals.get("max_buffer_size"))
                    .append('\n');
        }
        return sb.toString();
    }

    static String cons(Map<String, Object> f, Commands.Context ctx, String asker) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> c : maps(f.get("connections"))) {
            sb.append(' ').append(connection(c));
            if (((Number) c.get("session_id")).longValue() != 0) {
                sb.append(",sid=0x").append(hex(c.get("session_id"))).append(",lop=").append(c.get("last_operation"))
                        .append(",est=").append(c.get("established")).append(",to=").append(c.get("session_timeout"));
                if (((Number) c.get("last_cxid")).longValue() >= 0) {
                    sb.append(",lcxid=0x").append(hex(c.get("last_cxid")));
                }
                sb.append(",lzxid=0x").append(hex(c.get("last_zxid")))
                        .append(",lresp=").append(c.get("last_response_time"))
                        .append(",llat=").append(c.get("last_latency"))
                        .append(",minlat=").append(c.get("min_latency"))
                        .append(",avglat=").append(c.get("avg_latency"))
                        .append(",maxlat=").append(c.get("max_latency"));
            }
            sb.append(")\n");
        }
        return sb.append('\n').toString();
    }

    /** A connection's figures as stat and cons begin them, without the closing parenthesis. */
    private static String connection(Map<String, Object> c) {
        // Apache's JSON drops the address's leading slash; its text keeps it.
        return "/" + c.get("remote_socket_address") + "[1](queued=" + c.get("outstanding_requests") + ",recved="
                + c.get("packets_received") + ",sent=" + c.get("packets_sent");
    }

    /** The JSON's fields in camel case, in its order; the membership follows on its own lines. */
    static String conf(Map<String, Object> f, Commands.Context ctx, String asker) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : f.entrySet()) {
            if (e.getKey().equals("membership")) {
                sb.append("membership: \n").append(e.getValue()).append('\n');
            } else {
                sb.append(camelCase(e.getKey())).append('=').append(e.getValue()).append('\n');
            }
        }
        return sb.toString();
    }

    static String envi(Map<String, Object> f, Commands.Context ctx, String asker) {
        StringBuilder sb = new StringBuilder("Environment:\n");
        f.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    static String dirs(Map<String, Object> f, Commands.Context ctx, String asker) {
        StringBuilder sb = new StringBuilder();
        f.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    static String mntr(Map<String, Object> f, Commands.Context ctx, String asker) {
        StringBuilder sb = new StringBuilder();
        f.forEach((k, v) -> sb.append("zk_").append(k).append('\t')
                .append(k.equals("num_alive_connections") ? withAsker(v) : v).append('\n'));
        return sb.toString();
    }

    static String wchs(Map<String, Object> f, Commands.Context ctx, String asker) {
        return f.get("num_connections") + " connections watching " + f.get("num_paths") + " paths\nTotal watches:"
                + f.get("num_total_watches") + "\n";
    }

    static String wchc(Map<String, Object> f, Commands.Context ctx, String asker) {
        StringBuilder sb = new StringBuilder();
        groups(sb, f.get("session_id_to_watched_paths"), id -> "0x" + hex(id), path -> "\t" + path);
        return sb.append('\n').toString();
    }

    static String wchp(Map<String, Object> f, Commands.Context ctx, String asker) {
        StringBuilder sb = new StringBuilder();
        groups(sb, f.get("path_to_session_ids"), String::valueOf, id -> "\t0x" + hex(id));
        return sb.append('\n').toString();
    }

    /** Sessions by expiry and ephemerals from the facts; the connections, which only this text lists, from the core. */
    static String dump(Map<String, Object> f, Commands.Context ctx, String asker) {
        SimpleDateFormat date = new SimpleDateFormat("EEE MMM dd HH:mm:ss zzz yyyy", Locale.ENGLISH);
        Map<?, ? extends Collection<?>> expiry = groups(f.get("expiry_time_to_session_ids"));
        int sessions = 0;
        for (Collection<?> ids : expiry.values()) {
            sessions += ids.size();
        }
        StringBuilder sb = new StringBuilder("SessionTracker dump:\n");
        sb.append("Session Sets (").append(expiry.size()).append(")/(").append(sessions).append("):\n");
        for (Map.Entry<?, ? extends Collection<?>> e : expiry.entrySet()) {
            sb.append(e.getValue().size()).append(" expire at ").append(date.format(new Date((Long) e.getKey())))
                    .append(":\n");
            for (Object id : e.getValue()) {
                sb.append("\t0x").append(hex(id)).append('\n');
            }
        }
        Map<?, ? extends Collection<?>> ephemerals = groups(f.get("session_id_to_ephemeral_paths"));
        sb.append("ephemeral nodes dump:\n");
        sb.append("Sessions with Ephemerals (").append(ephemerals.size()).append("):\n");
        groups(sb, ephemerals, id -> "0x" + hex(id) + ":", path -> "\t" + path);
        List<Connection> withSession = new ArrayList<>();
        for (Connection conn : ctx.core().connections()) {
            if (conn.sessionId() != 0) {
                withSession.add(conn);
            }
        }
        sb.append("Connections dump:\n");
        sb.append("Connections Sets (").append(withSession.isEmpty() ? 0 : 1).append(")/(").append(withSession.size())
                .append("):\n");
        if (!withSession.isEmpty()) {
            long expires = System.currentTimeMillis() + ctx.config().tickTimeMs();
            sb.append(withSession.size()).append(" expire at ").append(date.format(new Date(expires))).append(":\n");
            for (Connection conn : withSession) {
                sb.append("\tip: ").append(conn.remoteAddress()).append(" sessionId: 0x")
                        .append(Long.toHexString(conn.sessionId())).append('\n');
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ helpers

    /** Each group's key on its own line, then its members, one a line. */
    private static void groups(StringBuilder sb, Object groups, Function<Object, String> key,
                               Function<Object, String> member) {
        for (Map.Entry<?, ? extends Collection<?>> e : groups(groups).entrySet()) {
            sb.append(key.apply(e.getKey())).append('\n');
            for (Object m : e.getValue()) {
                sb.append(member.apply(m)).append('\n');
            }
        }
    }

    /** The count with the asking connection. */
    private static long withAsker(Object count) {
        return ((Number) count).longValue() + 1;
    }

    private static String hex(Object n) {
        return Long.toHexString(((Number) n).longValue());
    }

    private static String camelCase(String snake) {
        StringBuilder sb = new StringBuilder();
        for (String part : snake.split("_")) {
            sb.append(sb.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<?, ? extends Collection<?>> groups(Object o) {
        return (Map<?, ? extends Collection<?>>) o;
    }
}
