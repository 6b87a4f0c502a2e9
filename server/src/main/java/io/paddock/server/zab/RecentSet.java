package io.paddock.server.zab;

import java.util.ArrayDeque;
import java.util.HashSet;

/** A set that remembers at most {@code capacity} values, forgetting the oldest first. */
final class RecentSet<T> {
    private final int capacity;
    private final HashSet<T> members = new HashSet<>();
    private final ArrayDeque<T> order = new ArrayDeque<>();

    RecentSet(int capacity) {
        this.capacity = capacity;
    }

    /** Adds the value; false if it was already there. */
    boolean add(T value) {
        if (!members.add(value)) {
            return false;
        }
        order.addLast(value);
        if (order.size() > capacity) {
            members.remove(order.removeFirst());
        }
        return true;
    }
}
