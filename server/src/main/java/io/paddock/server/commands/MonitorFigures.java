package io.paddock.server.commands;

import io.paddock.server.Version;
import io.paddock.server.core.Connection;
import io.paddock.server.core.ConnectionFigures;
import io.paddock.server.core.Core;
import io.paddock.server.stats.Counter;
import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.stats.Summary;
import io.paddock.server.tree.DataTree;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The figures Apache's {@code mntr} reports, in its order and with its names (without the
 * {@code zk_} prefix), for the four-letter word and the admin server's {@code monitor} alike.
 * Read on the core thread.
 */
public final class MonitorFigures {
    private MonitorFigures() {
    }

    /**
     * Every mntr figure: the live ones, then the recorded metrics. {@code num_alive_connections}
     * counts client connections; the four-letter word adds its own, as Apache does.
     */
    static Map<String, Object> of(Core c, ServerStats stats) {
        Map<String, Object> m = live(c, stats);
        metrics(stats.metrics(), m);
        return m;
    }

    /** The figures read from the live state (the Prometheus page's gauges), in Apache's order. */
    public static Map<String, Object> live(Core c, ServerStats stats) {
        DataTree tree = c.stateMachine().tree();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("version", Version.fullLine());
        io.paddock.server.replication.ReplicationStatus rs = c.replication();
        m.put("server_state", Commands.mode(c, rs));
        m.put("avg_latency", stats.avgLatencyMs());
        m.put("max_latency", stats.maxLatencyMs());
        m.put("min_latency", stats.minLatencyMs());
        m.put("packets_received", stats.packetsReceived());
        m.put("packets_sent", stats.packetsSent());
        m.put("num_alive_connections", c.connections().size());
        m.put("outstanding_requests", outstanding(c));
        m.put("uptime", stats.uptimeMs());
        // Apache counts the root twice, here as in srvr.
        m.put("znode_count", tree.nodeCount() + 1);
        m.put("watch_count", c.stateMachine().watches().watchCount());
        m.put("ephemerals_count", tree.ephemeralCount());
        m.put("approximate_data_size", tree.approximateDataSize());
        m.put("global_sessions", c.stateMachine().sessions().size());
        m.put("local_sessions", c.localSessionCount());
        long[] fds = fileDescriptors();
        m.put("open_file_descriptor_count", fds[0]);
        m.put("max_file_descriptor_count", fds[1]);
        m.put("connection_drop_probability", stats.metrics().connectionDropProbability());
        m.put("last_client_response_size", -1);
        m.put("max_client_response_size", -1);
        m.put("min_client_response_size", -1);
        m.put("outstanding_tls_handshake", 0);
        m.put("auth_failed_count", 0);
        m.put("non_mtls_remote_conn_count", 0);
        m.put("non_mtls_local_conn_count", 0);
        if (!rs.standalone() && rs.state() == io.paddock.server.zab.ServerState.LEADING) {
            // Apache adds these on the leader only.
            m.put("learners", rs.learners());
            m.put("synced_followers", rs.syncedFollowers());
            m.put("synced_non_voting_followers", 0);
            m.put("synced_observers", rs.syncedObservers());
            m.put("pending_syncs", rs.pendingSyncs());
            int[] sizes = rs.proposalSizes();
            m.put("last_proposal_size", sizes[0]);
            m.put("max_proposal_size", sizes[2]);
            m.put("min_proposal_size", sizes[1]);
        }
        return m;
    }

    /**
     * The recorded metrics as Apache's default metrics provider adds them to mntr: each counter by
     * its name, each summary as avg_/min_/max_/cnt_/sum_ (and p50_...p999_), sorted by name.
     * Paddock's own {@code paddock_*} metrics are on the Prometheus page only.
     */
    private static void metrics(Metrics metrics, Map<String, Object> m) {
        Map<String, Object> sorted = new java.util.TreeMap<>();
        for (Counter c : metrics.counters()) {
            if (!c.name().startsWith("paddock_")) {
                sorted.put(c.name(), c.get());
            }
        }
        for (Summary s : metrics.summaries()) {
            sorted.putAll(s.mntrFigures());
        }
        m.putAll(sorted);
    }

    /** Requests received and not yet answered, over every connection (as Apache's Outstanding). */
    public static long outstanding(Core c) {
        long n = 0;
        for (Connection conn : c.connections()) {
            ConnectionFigures f = conn.figures();
            n += f == null ? 0 : f.outstanding();
        }
        return n;
    }

    /** Bytes of the files under {@code dir}; 0 when it cannot be read. */
    static long dirSize(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(Path::toFile).filter(File::isFile).mapToLong(File::length).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static long[] fileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return new long[] {unix.getOpenFileDescriptorCount(), unix.getMaxFileDescriptorCount()};
        }
        return new long[] {-1, -1};
    }
}
