package io.paddock.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.nemesis.History.F;
import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkers catch what they are for, on small histories written by hand, and pass a good one. */
class ChecksTest {
    private static Op op(int process, long session, F f, int expected, String value, long from, long to,
            Outcome outcome, int version) {
        return new Op(process, session, f, 0, expected, value, from, to, outcome, version,
                outcome == Outcome.OK ? null : f == F.CAS ? "BADVERSION" : "CONNECTIONLOSS");
    }

    @Test
    void aGoodHistoryPasses() {
        List<Op> ops = List.of(
                op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1),
                op(1, 2, F.CAS, 1, "b", 5, 20, Outcome.OK, 2),
                op(0, 1, F.CAS, 1, "c", 25, 30, Outcome.FAIL, -1),
                op(1, 2, F.WRITE, -1, "d", 31, 40, Outcome.UNKNOWN, -1),
                op(0, 1, F.SYNC_READ, -1, "d", 45, 50, Outcome.OK, 3),
                op(1, 3, F.READ, -1, "b", 55, 60, Outcome.OK, 2));
        assertEquals(List.of(), Checks.check(ops, 1));
    }

    @Test
    void twoWritesAcknowledgedWithOneVersionOneAfterTheOtherAreNotLinearizable() {
        List<Op> ops = List.of(
                op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1),
                op(1, 2, F.WRITE, -1, "b", 20, 30, Outcome.OK, 1));
        List<String> found = Checks.check(ops, 1);
        assertTrue(found.stream().anyMatch(v -> v.startsWith("writes not linearizable")), found.toString());
    }

    @Test
    void aSessionWhoseViewGoesBackIsCaught() {
        List<Op> ops = List.of(
                op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1),
                op(1, 2, F.READ, -1, "a", 20, 30, Outcome.OK, 1),
                op(1, 2, F.READ, -1, "init", 40, 50, Outcome.OK, 0));
        assertTrue(Checks.sessionViews(ops).size() == 1, Checks.sessionViews(ops).toString());
    }

    /** Version 1 written ("a") and acknowledged, then a read by another session. */
    private static List<Op> writeThenRead(F read, String value, int version) {
        return List.of(op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1), op(1, 2, read, -1, value, 20, 30, Outcome.OK, version));
    }

    @Test
    void aSyncReadThatMissesAnAcknowledgedWriteIsCaught() {
        assertEquals(1, Checks.syncReads(writeThenRead(F.SYNC_READ, "init", 0)).size());
        assertEquals(0, Checks.syncReads(writeThenRead(F.READ, "init", 0)).size(), "a plain read may lag");
    }

    @Test
    void aReadOfAVersionWithAnotherValueIsCaught() {
        assertEquals(1, Checks.readValues(writeThenRead(F.READ, "z", 1)).size());
    }

    @Test
    void theFinalValueMustComeFromTheHistory() {
        List<Op> ops = List.of(op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1),
                op(0, 1, F.WRITE, -1, "b", 20, 30, Outcome.UNKNOWN, -1));
        assertEquals(null, Checks.finalValue(ops, 0, "a", 1));
        assertEquals(null, Checks.finalValue(ops, 0, "b", 2));
        assertTrue(Checks.finalValue(ops, 0, "z", 2) != null);
    }

    @Test
    void theLongestStretchWithoutAnAcknowledgedWriteCountsFromTheStartToTheEnd() {
        List<Op> ops = List.of(op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1),
                op(0, 1, F.WRITE, -1, "b", 20, 30, Outcome.OK, 2));
        assertEquals(70, NemesisRun.longestWriteGap(ops, 100));
        assertEquals(0.5, NemesisRun.faultAvailability(List.of(ops.get(0),
                op(0, 1, F.READ, -1, null, 5, 9, Outcome.UNKNOWN, -1)), List.of(new long[] {0, 10})));
    }

    @Test
    void anOpThatSucceedsAfterItsSessionWasToldExpiredIsCaught() {
        List<Op> ops = List.of(op(0, 1, F.READ, -1, "init", 0, 10, Outcome.OK, 0),
                op(0, 1, F.READ, -1, "init", 30, 40, Outcome.OK, 0));
        assertEquals(1, Checks.expiredSessions(ops, List.of(new History.Expiry(0, 1, 20, "event"))).size());
        assertEquals(List.of(), Checks.expiredSessions(ops, List.of(new History.Expiry(0, 1, 50, "op"))));
        assertEquals(1, Checks.expiredSoonAfterSuccess(ops, List.of(new History.Expiry(0, 1, 50, "op")), 20));
        assertEquals(0, Checks.expiredSoonAfterSuccess(ops, List.of(new History.Expiry(0, 1, 50, "op")), 5));
    }

    @Test
    void aSessionToldExpiredWhoseEphemeralLivesOnIsCaught() {
        List<History.Expiry> told = List.of(new History.Expiry(0, 7, 20, "op"));
        assertEquals(1, Checks.liveSessionsRefused(told, java.util.Set.of(7L, 8L)).size());
        assertEquals(List.of(), Checks.liveSessionsRefused(told, java.util.Set.of(8L)));
    }

    @Test
    void anAcknowledgedWriteMissingFromTheFinalStateIsCaught() {
        List<Op> ops = List.of(op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1),
                op(0, 1, F.WRITE, -1, "b", 20, 30, Outcome.OK, 2));
        assertEquals(List.of(), Checks.durable(ops, 0, "b", 2));
        assertEquals(List.of(), Checks.durable(ops, 0, "c", 3), "superseded by a later version");
        assertEquals(1, Checks.durable(ops, 0, "a", 1).size(), "version 2 lost");
        assertEquals(1, Checks.durable(ops, 0, "z", 2).size(), "version 2 holds another value");
    }
}
