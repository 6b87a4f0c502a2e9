package io.paddock.server.differential;

import java.util.Optional;

/**
 * Compares the outcomes of the same operations on two servers, one step at a time. Stateful:
 * the zxid correspondence and the per-server time order accumulate over the whole run, so
 * steps must be fed in order.
 *
 * <ul>
 *   <li>text (error codes, data, sorted children, ACLs, paths, multi results, events): equal;</li>
 *   <li>Stat version, cversion, aversion, dataLength, numChildren, ephemeral owner: equal;</li>
 *   <li>czxid, mzxid, pzxid: by order ({@link ZxidCorrespondence});</li>
 *   <li>ctime, mtime: consistent with each server's own zxid order ({@link TimeOrder}).</li>
 * </ul>
 */
final class TraceComparator {
    private final ZxidCorrespondence zxids = new ZxidCorrespondence();
    private final TimeOrder timesA = new TimeOrder("A");
    private final TimeOrder timesB = new TimeOrder("B");

    /** A difference found at a step. */
    record Mismatch(Step step, String reason) {
    }

    /** Replays a whole recorded trace through a fresh comparator; the first difference, if any. */
    static Optional<Mismatch> firstMismatch(Trace trace) {
        TraceComparator comparator = new TraceComparator();
        for (Step step : trace.steps()) {
            Optional<String> reason = comparator.compare(step.a(), step.b());
            if (reason.isPresent()) {
                return Optional.of(new Mismatch(step, reason.get()));
            }
        }
        return Optional.empty();
    }

    /** Compares one step's outcomes; the reason they differ, if they do. */
    Optional<String> compare(Outcome a, Outcome b) {
        if (!a.text().equals(b.text())) {
            return Optional.of("results differ");
        }
        if (a.stats().size() != b.stats().size()) {
            return Optional.of("number of Stats differs");
        }
        for (int i = 0; i < a.stats().size(); i++) {
            Optional<String> r = compare(i, a.stats().get(i), b.stats().get(i));
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private Optional<String> compare(int i, StatSnapshot a, StatSnapshot b) {
        if (!a.exactFields().equals(b.exactFields())) {
            return Optional.of("stat#" + i + " differs: A " + a.exactFields() + " / B " + b.exactFields());
        }
        return first(zxids.pair("stat#" + i + ".czxid", a.czxid(), b.czxid()),
                zxids.pair("stat#" + i + ".mzxid", a.mzxid(), b.mzxid()),
                zxids.pair("stat#" + i + ".pzxid", a.pzxid(), b.pzxid()),
                timesA.check(a), timesB.check(b));
    }

    @SafeVarargs
    private static Optional<String> first(Optional<String>... results) {
        for (Optional<String> r : results) {
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }
}
