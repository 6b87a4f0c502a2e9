package io.paddock.server.zab.golden;

import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Zxid;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's simulated disk: the epoch files, the newest snapshot and the log. Appends are durable
 * only up to {@link #durable}; a crash loses the rest.
 */
final class SimDisk {
    /** -1: the file is missing. */
    long acceptedEpoch = -1;
    long currentEpoch = -1;
    long snapshotZxid;
    byte[] snapshotData = new byte[0];
    /** Logged entries, zxids increasing (a leader's log may reach below its snapshot). */
    final List<Entry> log = new ArrayList<>();
    /** Every appended entry up to here is on stable storage. */
    long durable;

    long lastZxid() {
        return log.isEmpty() ? snapshotZxid : Math.max(snapshotZxid, log.get(log.size() - 1).zxid());
    }

    /** The currentEpoch a restart would recover (the core reads a missing file as the log's epoch). */
    long recoveredCurrentEpoch() {
        return currentEpoch >= 0 ? currentEpoch : Zxid.epoch(lastZxid());
    }

    long recoveredAcceptedEpoch() {
        return Math.max(acceptedEpoch >= 0 ? acceptedEpoch : Zxid.epoch(lastZxid()), recoveredCurrentEpoch());
    }

    Entry find(long zxid) {
        for (Entry e : log) {
            if (e.zxid() == zxid) {
                return e;
            }
        }
        return null;
    }

    /** Whether this txn survives a crash here: in the snapshot, or logged (with the same data) and durable. */
    boolean holdsDurably(Entry e) {
        if (e.zxid() <= snapshotZxid) {
            return true;
        }
        Entry logged = find(e.zxid());
        return e.zxid() <= durable && logged != null && java.util.Arrays.equals(logged.data(), e.data());
    }

    /** A crash: appends not yet durable are lost. Returns them. */
    List<Entry> crash() {
        List<Entry> lost = new ArrayList<>();
        for (Entry e : log) {
            if (e.zxid() > durable) {
                lost.add(e);
            }
        }
        log.removeAll(lost);
        return lost;
    }

    /** The last {@code keep} logged entries after the snapshot: what a restarted core holds for DIFF. */
    List<Entry> recentLog(int keep) {
        List<Entry> after = new ArrayList<>();
        for (Entry e : log) {
            if (e.zxid() > snapshotZxid) {
                after.add(e);
            }
        }
        return List.copyOf(after.subList(Math.max(0, after.size() - keep), after.size()));
    }

    List<Long> logZxids() {
        List<Long> z = new ArrayList<>();
        for (Entry e : log) {
            z.add(e.zxid());
        }
        return z;
    }

    String describe() {
        return "acceptedEpoch=" + (acceptedEpoch < 0 ? "none" : acceptedEpoch)
                + " currentEpoch=" + (currentEpoch < 0 ? "none" : currentEpoch)
                + " snapshot=" + Render.zxid(snapshotZxid) + " log=" + Render.zxidRanges(logZxids())
                + " durable=" + Render.zxid(durable);
    }
}
