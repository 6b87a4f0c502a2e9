package io.paddock.server.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What one operation produced on one server, normalised so that two servers can be compared.
 * {@code text} holds everything that must match exactly (error codes, data, sorted children,
 * ACLs, created paths, multi result types, watch events), with a placeholder {@code stat#k} for
 * each Stat; {@code stats} holds those Stats in order.
 */
record Outcome(String text, List<StatSnapshot> stats) {

    Outcome {
        stats = List.copyOf(stats);
    }

    static Outcome of(String text) {
        return new Outcome(text, List.of());
    }

    Outcome withText(String newText) {
        return new Outcome(newText, stats);
    }

    Outcome mapStats(UnaryOperator<StatSnapshot> f) {
        return new Outcome(text, stats.stream().map(f).toList());
    }

    /** Human-readable form: the text followed by each Stat in full. */
    String render() {
        StringBuilder sb = new StringBuilder(text);
        for (int i = 0; i < stats.size(); i++) {
            sb.append("\n      stat#").append(i).append(' ').append(stats.get(i));
        }
        return sb.toString();
    }

    /** Accumulates an outcome while an operation runs. */
    static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final List<StatSnapshot> stats = new ArrayList<>();

        Builder add(String part) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(part);
            return this;
        }

        Builder stat(StatSnapshot s) {
            add("stat#" + stats.size());
            stats.add(s);
            return this;
        }

        Outcome build() {
            return new Outcome(text.toString(), stats);
        }
    }
}
