package io.paddock.server.zab.sim;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Input;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's events: the last {@code capacity} kept for a failure report (formatted only then, so
 * that a healthy run pays little), and optionally all of them hashed (the determinism check) or
 * printed (replaying one seed).
 */
final class Trace {
    private record Line(long time, String who, Input input, List<Action> actions, String note) {
    }

    private final Line[] ring;
    private long count;
    private final boolean hashAll;
    private final PrintStream out;
    private long hash = 0xcbf29ce484222325L;

    Trace(int capacity, boolean hashAll, PrintStream out) {
        this.ring = new Line[capacity];
        this.hashAll = hashAll;
        this.out = out;
    }

    void step(long time, SimNode node, Input input, List<Action> actions) {
        if (input instanceof Input.Tick && actions.isEmpty() && !hashAll) {
            return; // a tick that changed nothing visible: not worth a line of the report
        }
        List<Action> copy = new ArrayList<>(actions.size());
        for (Action a : actions) {
            // The core may hand out views of its own lists: keep what they said at this step.
            copy.add(a instanceof Action.Deliver d ? new Action.Deliver(List.copyOf(d.entries())) : a);
        }
        add(new Line(time, node.name(), input, copy, null));
    }

    void note(long time, String note) {
        add(new Line(time, "sim", null, null, note));
    }

    private void add(Line line) {
        ring[(int) (count++ % ring.length)] = line;
        if (hashAll || out != null) {
            String text = format(line);
            if (hashAll) {
                for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                    hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
                }
                hash = (hash ^ '\n') * 0x100000001b3L;
            }
            if (out != null) {
                out.println(text);
            }
        }
    }

    long count() {
        return count;
    }

    long hash() {
        return hash;
    }

    /** The kept events, oldest first. */
    String tail() {
        StringBuilder b = new StringBuilder();
        long first = Math.max(0, count - ring.length);
        for (long i = first; i < count; i++) {
            b.append(format(ring[(int) (i % ring.length)])).append('\n');
        }
        return b.toString();
    }

    private static String format(Line l) {
        StringBuilder b = new StringBuilder(String.format("%8d %-6s ", l.time, l.who));
        if (l.note != null) {
            return b.append("** ").append(l.note).toString();
        }
        b.append(l.input == null ? "start" : Fmt.input(l.input));
        if (!l.actions.isEmpty()) {
            b.append(" =>");
            for (Action a : l.actions) {
                b.append(' ').append(Fmt.action(a)).append(';');
            }
        }
        return b.toString();
    }
}
