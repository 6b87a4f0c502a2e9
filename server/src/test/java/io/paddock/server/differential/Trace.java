package io.paddock.server.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The recorded steps of one differential run, with the text of a mismatch report. */
final class Trace {
    /** How many steps before a mismatch the report shows. */
    static final int CONTEXT = 20;

    private final List<Step> steps;

    Trace() {
        this(new ArrayList<>());
    }

    private Trace(List<Step> steps) {
        this.steps = steps;
    }

    void add(Step step) {
        steps.add(step);
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    /** A copy in which the step at list position {@code pos} is replaced. */
    Trace replace(int pos, UnaryOperator<Step> change) {
        List<Step> copy = new ArrayList<>(steps);
        copy.set(pos, change.apply(copy.get(pos)));
        return new Trace(copy);
    }

    /** A copy with every step changed. */
    Trace mapAll(UnaryOperator<Step> change) {
        return new Trace(new ArrayList<>(steps.stream().map(change).toList()));
    }

    /** Every step with both outcomes, one block per step (for -Ddifferential.dump). */
    String dump() {
        StringBuilder sb = new StringBuilder();
        for (Step p : steps) {
            sb.append('#').append(p.index()).append(' ').append(p.op()).append("\n  A: ").append(p.a().render())
                    .append("\n  B: ").append(p.b().render()).append('\n');
        }
        return sb.toString();
    }

    /** How often each kind of result occurred (first word of the text, plus the code of errors). */
    Map<String, Long> histogram() {
        return steps.stream().map(p -> p.a().text().split(" ", 3)).map(w -> w[0].equals("err") ? w[0] + " " + w[1] : w[0])
                .collect(Collectors.groupingBy(w -> w.replaceAll("=.*", ""), TreeMap::new, Collectors.counting()));
    }

    /** The assertion message for a mismatch: where, why, both outcomes, and the steps before it. */
    String report(RunInfo info, TraceComparator.Mismatch m) {
        Step s = m.step();
        StringBuilder sb = new StringBuilder();
        sb.append("Differential mismatch: seed=").append(info.seed()).append(" pair=").append(info.kindA()).append(',')
                .append(info.kindB()).append(" at op #").append(s.index()).append('\n');
        sb.append("  op:     ").append(s.op()).append('\n');
        sb.append("  reason: ").append(m.reason()).append('\n');
        sb.append("  A (").append(info.kindA()).append("): ").append(s.a().render()).append('\n');
        sb.append("  B (").append(info.kindB()).append("): ").append(s.b().render()).append('\n');
        sb.append("  replay: -Ddifferential.seed=").append(info.seed()).append(" -Ddifferential.ops=")
                .append(info.ops()).append(" -Ddifferential.pair=").append(info.kindA()).append(',')
                .append(info.kindB()).append('\n');
        sb.append("  previous ops:\n");
        int end = steps.indexOf(s);
        for (Step p : steps.subList(Math.max(0, end - CONTEXT), Math.max(0, end))) {
            sb.append("    #").append(p.index()).append(' ').append(p.op()).append("\n      -> ")
                    .append(p.a().render()).append('\n');
            if (!p.a().text().equals(p.b().text())) {
                sb.append("      B: ").append(p.b().render()).append('\n');
            }
        }
        return sb.toString();
    }

    /** What identifies a run, for reports. */
    record RunInfo(long seed, int ops, String kindA, String kindB) {
    }
}
