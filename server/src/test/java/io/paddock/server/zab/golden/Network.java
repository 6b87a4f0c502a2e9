package io.paddock.server.zab.golden;

import io.paddock.server.zab.Msg;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Messages in flight, in the order they were sent. Delivery always takes the earliest message that
 * a filter selects, and filters select whole (from, to, channel) streams, so each stream stays FIFO
 * as over a TCP connection (votes and link messages travel on different connections).
 */
final class Network {
    record Queued(long from, long to, Msg msg) {
        boolean vote() {
            return msg instanceof Msg.Vote;
        }

        String describe() {
            return from + "->" + to + " " + Render.msg(msg);
        }
    }

    private final List<Queued> queue = new ArrayList<>();

    void send(long from, long to, Msg msg) {
        queue.add(new Queued(from, to, msg));
    }

    /** Removes and returns the earliest message the filter selects, or null. */
    Queued next(Predicate<Queued> filter) {
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (filter.test(q)) {
                it.remove();
                return q;
            }
        }
        return null;
    }

    /** Removes and returns up to {@code max} of the messages the filter selects, earliest first. */
    List<Queued> remove(Predicate<Queued> filter, long max) {
        List<Queued> removed = new ArrayList<>();
        for (Iterator<Queued> it = queue.iterator(); it.hasNext() && removed.size() < max; ) {
            Queued q = it.next();
            if (filter.test(q)) {
                it.remove();
                removed.add(q);
            }
        }
        return removed;
    }

    List<Queued> pending(Predicate<Queued> filter) {
        return queue.stream().filter(filter).toList();
    }

    void clear() {
        queue.clear();
    }
}
