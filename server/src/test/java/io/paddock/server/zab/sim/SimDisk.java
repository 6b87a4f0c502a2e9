package io.paddock.server.zab.sim;

import io.paddock.server.zab.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A server's disk: the epoch files, one snapshot (the whole app state up to its zxid) and the log.
 * The log is a durable prefix and a volatile tail that a crash loses; its oldest entries may be
 * older than the snapshot (kept until durable, then purged). Positions count txns from the start
 * of the history, through the snapshot and on into the log after it.
 */
final class SimDisk {
    /** A logged entry and the number of the write that put it there. */
    record Slot(Entry entry, long write) {
    }

    long acceptedEpoch = -1;
    long currentEpoch = -1;
    private long snapZxid;
    private List<Entry> snapEntries = List.of();
    private final ArrayList<Slot> log = new ArrayList<>();
    private int durable;

    long snapZxid() {
        return snapZxid;
    }

    List<Entry> snapEntries() {
        return snapEntries;
    }

    /** Index of the first log entry after the snapshot. */
    private int first() {
        int i = 0;
        while (i < log.size() && log.get(i).entry.zxid() <= snapZxid) {
            i++;
        }
        return i;
    }

    /** Txns in the history held here. */
    int size() {
        return snapEntries.size() + log.size() - first();
    }

    int logSize() {
        return log.size();
    }

    long lastZxid() {
        return log.isEmpty() ? snapZxid : Math.max(snapZxid, log.get(log.size() - 1).entry.zxid());
    }

    long lastDurableZxid() {
        return durable == 0 ? snapZxid : Math.max(snapZxid, log.get(durable - 1).entry.zxid());
    }

    /** The txn at a history position, durable or not; null past the end. */
    Entry entryAt(int position) {
        if (position < snapEntries.size()) {
            return snapEntries.get(position);
        }
        int i = first() + position - snapEntries.size();
        return i < log.size() ? log.get(i).entry : null;
    }

    /** The txn at a history position if it survives a crash; null otherwise. */
    Entry durableAt(int position) {
        if (position < snapEntries.size()) {
            return snapEntries.get(position);
        }
        int i = first() + position - snapEntries.size();
        return i < durable ? log.get(i).entry : null;
    }

    void append(Entry entry, long write) {
        log.add(new Slot(entry.withoutLocal(), write));
    }

    /** Drops every logged txn after {@code zxid}; returns them, oldest first. */
    List<Entry> truncate(long zxid) {
        int keep = log.size();
        while (keep > 0 && log.get(keep - 1).entry.zxid() > zxid) {
            keep--;
        }
        List<Entry> removed = new ArrayList<>();
        for (int i = keep; i < log.size(); i++) {
            removed.add(log.get(i).entry);
        }
        log.subList(keep, log.size()).clear();
        durable = Math.min(durable, keep);
        return removed;
    }

    /** A snapshot from the leader replaces everything. */
    void installSnapshot(long zxid, List<Entry> entries) {
        snapZxid = zxid;
        snapEntries = entries;
        log.clear();
        durable = 0;
    }

    /**
     * Writes a snapshot of the first {@code count} app entries (which end at {@code zxid}) and purges
     * the durable log up to it.
     */
    void writeSnapshot(List<Entry> app, int count, long zxid) {
        snapEntries = List.copyOf(app.subList(0, count));
        snapZxid = zxid;
        purge();
    }

    private void purge() {
        int drop = 0;
        while (drop < durable && log.get(drop).entry.zxid() <= snapZxid) {
            drop++;
        }
        log.subList(0, drop).clear();
        durable -= drop;
    }

    boolean hasVolatile() {
        return durable < log.size();
    }

    long lastWrite() {
        return log.isEmpty() ? 0 : log.get(log.size() - 1).write;
    }

    /**
     * An fsync that covered writes up to {@code upToWrite} completes. Returns the last entry newly
     * durable, or null if nothing new is.
     */
    Slot fsynced(long upToWrite) {
        int before = durable;
        while (durable < log.size() && log.get(durable).write <= upToWrite) {
            durable++;
        }
        return durable > before ? log.get(durable - 1) : null;
    }

    /** Everything logged is durable now (a truncation's own fsync). */
    void syncAll() {
        durable = log.size();
    }

    /** The machine dies: the volatile tail is lost, except maybe a prefix the disk had already written. */
    int[] crash(Random rnd, double partialFsync) {
        int tail = log.size() - durable;
        int kept = tail > 0 && rnd.nextDouble() < partialFsync ? rnd.nextInt(tail + 1) : 0;
        durable += kept;
        log.subList(durable, log.size()).clear();
        purge();
        return new int[] {tail - kept, kept};
    }

    /** The log after the snapshot, oldest first. */
    List<Entry> logAfterSnapshot() {
        List<Entry> entries = new ArrayList<>(log.size());
        for (int i = first(); i < log.size(); i++) {
            entries.add(log.get(i).entry);
        }
        return entries;
    }
}
