package io.paddock.server.zab;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of a server's log held in memory: every entry after {@code start} up to the last one
 * logged. Committed entries are kept up to a bound (what a leader can send a learner by DIFF);
 * uncommitted ones are all kept. Zxids strictly increase.
 */
final class History {
    private final ArrayList<Entry> entries = new ArrayList<>();
    /** Index of the first live entry in {@link #entries}; compacted lazily. */
    private int head;
    /** The zxid just before the first entry held (0 for an empty history from the beginning). */
    private long start;

    History(long start, List<Entry> recent) {
        this.start = start;
        for (Entry e : recent) {
            add(e);
        }
    }

    long start() {
        return start;
    }

    long last() {
        return size() == 0 ? start : entries.get(entries.size() - 1).zxid();
    }

    int size() {
        return entries.size() - head;
    }

    void add(Entry e) {
        if (e.zxid() <= last()) {
            throw new IllegalStateException("entry " + Zxid.hex(e.zxid()) + " does not follow " + Zxid.hex(last()));
        }
        entries.add(e);
    }

    /** The entries with zxid in (after, upTo], in order. */
    List<Entry> range(long after, long upTo) {
        if (after < start) {
            throw new IllegalStateException("history starts after " + Zxid.hex(start) + ", asked from " + Zxid.hex(after));
        }
        List<Entry> out = new ArrayList<>();
        for (int i = firstAfter(after); i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.zxid() > upTo) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** The highest zxid of epoch {@code epoch} known here (the start counts), or -1. */
    long lastInEpoch(long epoch) {
        long best = Zxid.epoch(start) == epoch && Zxid.counter(start) != 0 ? start : -1;
        for (int i = firstAfter(Zxid.make(epoch, 0) - 1); i < entries.size(); i++) {
            long z = entries.get(i).zxid();
            if (Zxid.epoch(z) != epoch) {
                break;
            }
            best = z;
        }
        return best;
    }

    /** The highest zxid below {@code zxid} known here (the start counts), or -1. */
    long lastBefore(long zxid) {
        int i = firstAfter(zxid - 1) - 1;
        if (i >= head) {
            return entries.get(i).zxid();
        }
        return start < zxid && (start == 0 || Zxid.counter(start) != 0) ? start : -1;
    }

    /** Drops every entry after {@code zxid}. */
    void truncateAfter(long zxid) {
        if (zxid < start) {
            throw new IllegalStateException("cannot truncate to " + Zxid.hex(zxid) + " before " + Zxid.hex(start));
        }
        int from = firstAfter(zxid);
        entries.subList(from, entries.size()).clear();
    }

    /** Forgets everything: the history now starts at {@code zxid} (a snapshot was installed). */
    void reset(long zxid) {
        entries.clear();
        head = 0;
        start = zxid;
    }

    /** Forgets the oldest entries up to {@code upTo} while more than {@code keep} of them remain. */
    void trim(long upTo, int keep) {
        int eligible = firstAfter(upTo) - head;
        int drop = eligible - keep;
        if (drop <= 0) {
            return;
        }
        start = entries.get(head + drop - 1).zxid();
        for (int i = head; i < head + drop; i++) {
            entries.set(i, null);
        }
        head += drop;
        if (head > 1024 && head > entries.size() / 2) {
            entries.subList(0, head).clear();
            head = 0;
        }
    }

    /** Index in {@link #entries} of the first entry with zxid > {@code zxid}. */
    private int firstAfter(long zxid) {
        int lo = head;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).zxid() <= zxid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
