package io.paddock.server.admin;

import io.paddock.server.config.ConfigException;
import java.util.Properties;
import java.util.Set;

/**
 * The Prometheus endpoint's settings, from Apache ZooKeeper's {@code metricsProvider.*} zoo.cfg
 * keys: it is served when {@code metricsProvider.className} names Apache's Prometheus provider, at
 * {@code http://<httpHost>:<httpPort>/metrics} (defaults 0.0.0.0 and 7000; port 0 binds a free one).
 *
 * @param enabled        whether to serve metrics at all
 * @param host           the address to bind
 * @param port           the port to bind, 0 for any free port
 * @param exportJvmInfo  whether JVM and process metrics ({@code jvm_*}, {@code process_*}) are included
 * @param windowSeconds  summary quantiles cover the last one to two such windows
 */
public record MetricsConfig(boolean enabled, String host, int port, boolean exportJvmInfo, long windowSeconds) {
    /** The provider Apache's users configure for Prometheus; Paddock serves the same page for it. */
    public static final String PROMETHEUS_PROVIDER = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";
    /** Apache's providers that export nothing over HTTP (its default keeps figures for mntr only). */
    private static final Set<String> QUIET_PROVIDERS = Set.of(
            "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider",
            "org.apache.zookeeper.metrics.impl.NullMetricsProvider");

    /** No metrics endpoint: Apache's default. */
    public static final MetricsConfig DISABLED = new MetricsConfig(false, "0.0.0.0", 7000, true, 60);

    public MetricsConfig {
        if (port < 0 || port > 65535) {
            throw new ConfigException("metricsProvider.httpPort must be between 0 and 65535, not " + port);
        }
        if (windowSeconds < 1) {
            throw new ConfigException("metricsProvider.prometheusMetricsSummaryRotateIntervalSeconds must be at least 1,"
                    + " not " + windowSeconds);
        }
    }

    /** Reads the {@code metricsProvider.*} keys of zoo.cfg-style properties. */
    public static MetricsConfig from(Properties props) {
        String provider = value(props, "className", null);
        boolean enabled;
        if (provider == null || QUIET_PROVIDERS.contains(provider)) {
            enabled = false;
        } else if (provider.equals(PROMETHEUS_PROVIDER)) {
            enabled = true;
        } else {
            throw new ConfigException("metricsProvider.className names " + provider + ", which Paddock does not have;"
                    + " use " + PROMETHEUS_PROVIDER + " to serve Prometheus metrics");
        }
        String host = value(props, "httpHost", "0.0.0.0");
        int port = (int) number(props, "httpPort", 7000);
        String jvm = value(props, "exportJvmInfo", "true");
        if (!jvm.equalsIgnoreCase("true") && !jvm.equalsIgnoreCase("false")) {
            throw new ConfigException("metricsProvider.exportJvmInfo must be true or false, not \"" + jvm + "\"");
        }
        long window = number(props, "prometheusMetricsSummaryRotateIntervalSeconds", 60);
        return new MetricsConfig(enabled, host, port, Boolean.parseBoolean(jvm.toLowerCase()), window);
    }

    /** The settings in a zoo.cfg file; {@link #DISABLED} for a configuration built in memory (tests). */
    public static MetricsConfig forSource(String source) {
        return ConfigSource.parse(source, MetricsConfig::from).orElse(DISABLED);
    }

    private static long number(Properties props, String key, long fallback) {
        String text = value(props, key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException("metricsProvider." + key + " must be a number, not \"" + text + "\"", e);
        }
    }

    private static String value(Properties props, String key, String fallback) {
        String v = props.getProperty("metricsProvider." + key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
