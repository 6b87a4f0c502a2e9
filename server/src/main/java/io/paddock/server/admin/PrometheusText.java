package io.paddock.server.admin;

import io.paddock.server.stats.Summary;
import java.util.Map;

/**
 * Writes Prometheus's text exposition format (version 0.0.4): per family a {@code # HELP} and a
 * {@code # TYPE} line, then its samples. Apache's exporter uses each metric's name as its help;
 * so does this, for the Apache names.
 */
final class PrometheusText {
    /** The Content-Type a Prometheus server expects for this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(16 * 1024);

    /** Starts a family: {@code type} is gauge, counter, summary or untyped. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample without labels. */
    PrometheusText sample(String name, double value) {
        out.append(name).append(' ');
        return value(value);
    }

    /** One sample with labels, given as name/value pairs in order. */
    PrometheusText sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ');
        return value(value);
    }

    /** A whole family of one unlabelled sample. */
    PrometheusText single(String name, String type, double value) {
        return family(name, type, name).sample(name, value);
    }

    /** A summary: its quantiles over the window, then {@code _count} and {@code _sum} since start. */
    PrometheusText summary(Summary.Reading r) {
        family(r.name(), "summary", r.name());
        for (int i = 0; i < r.quantiles().length; i++) {
            sample(r.name(), Map.of("quantile", Double.toString(r.quantiles()[i])), r.values()[i]);
        }
        sample(r.name() + "_count", r.count());
        return sample(r.name() + "_sum", r.sum());
    }

    private PrometheusText value(double v) {
        if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            out.append(v);
        }
        out.append('\n');
        return this;
    }

    static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
