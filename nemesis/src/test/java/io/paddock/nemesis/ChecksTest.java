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

    private static History.Create create(String payload, Outcome outcome, String name) {
        return new History.Create(100, 9, payload, 0, 10, outcome, name, outcome == Outcome.OK ? null : "CONNECTIONLOSS");
    }

    private static History.Member member(int server, java.util.Map<String, String> set, int counter) {
        return new History.Member(server, java.util.Map.of(0, new History.Node("a", 1, 5)), set,
                new History.Node(Integer.toString(counter), counter, 7));
    }

    private static final List<History.Create> CREATES = List.of(create("c1", Outcome.OK, "e-0000000000"),
            create("c2", Outcome.UNKNOWN, null), create("c3", Outcome.FAIL, null), create("c4", Outcome.UNKNOWN, null));

    @Test
    void theSetAcceptsAcknowledgedAndUnknownCreatesOnce() {
        assertEquals(List.of(), Checks.set(CREATES, List.of(member(1, java.util.Map.of("e-0000000000", "c1",
                "e-0000000001", "c2"), 0))));
    }

    @Test
    void theSetCatchesALostADuplicatedAFailedAndAnInventedCreate() {
        assertEquals(1, Checks.set(CREATES, List.of(member(1, java.util.Map.of("e-0000000001", "c2"), 0))).size(), "lost");
        assertEquals(1, Checks.set(CREATES, List.of(member(1, java.util.Map.of("e-0000000000", "c1", "e-0000000001", "c2",
                "e-0000000002", "c2"), 0))).size(), "duplicated");
        assertEquals(1, Checks.set(CREATES, List.of(member(1, java.util.Map.of("e-0000000000", "c1", "e-0000000001", "c3"),
                0))).size(), "from a failed create");
        assertEquals(1, Checks.set(CREATES, List.of(member(1, java.util.Map.of("e-0000000000", "c1", "e-0000000001", "zz"),
                0))).size(), "from no create");
        assertEquals(1, Checks.set(List.of(create("c1", Outcome.OK, "e-1"), create("c2", Outcome.OK, "e-1")),
                List.of()).size(), "one name acknowledged twice");
    }

    @Test
    void membersThatDifferAreCaught() {
        History.Member one = member(1, java.util.Map.of("e-0000000000", "c1"), 2);
        assertEquals(List.of(), Checks.membersAgree(List.of(one, member(2, java.util.Map.of("e-0000000000", "c1"), 2))));
        assertEquals(1, Checks.membersAgree(List.of(one, member(2, java.util.Map.of(), 2))).size());
        assertEquals(1, Checks.membersAgree(List.of(one, member(2, java.util.Map.of("e-0000000000", "c1"), 3))).size());
        assertEquals(1, Checks.membersAgree(List.of()).size(), "nothing recorded");
        List<Op> ops = List.of(op(0, 1, F.WRITE, -1, "a", 0, 10, Outcome.OK, 1));
        assertEquals(List.of(), Checks.finalRegisters(ops, List.of(one), 1));
        assertEquals(2, Checks.finalRegisters(List.of(op(0, 1, F.WRITE, -1, "b", 0, 10, Outcome.OK, 2)), List.of(one), 1)
                .size(), "version 2 lost, and nothing wrote a at version 1");
    }

    private static History.LockStep increment(int expected, Outcome outcome) {
        return new History.LockStep(200, 9, History.Step.INCREMENT, expected, 0, 10, outcome,
                outcome == Outcome.OK ? expected + 1 : -1, outcome == Outcome.OK ? null
                        : outcome == Outcome.FAIL ? "BADVERSION" : "CONNECTIONLOSS");
    }

    @Test
    void theLockCounterLiesBetweenTheAcknowledgedIncrementsAndThoseWithTheUnknownOnes() {
        List<History.LockStep> steps = List.of(increment(0, Outcome.OK), increment(1, Outcome.UNKNOWN),
                increment(1, Outcome.OK));
        assertEquals(List.of(), Checks.lock(steps.subList(0, 2), List.of(member(1, java.util.Map.of(), 1))));
        assertEquals(List.of(), Checks.lock(steps.subList(0, 2), List.of(member(1, java.util.Map.of(), 2))));
        assertEquals(1, Checks.lock(steps.subList(0, 2), List.of(member(1, java.util.Map.of(), 0))).size(), "lost");
        assertEquals(1, Checks.lock(steps.subList(0, 2), List.of(member(1, java.util.Map.of(), 3))).size(), "invented");
        assertEquals(List.of(), Checks.lock(List.of(steps.get(0), steps.get(2)), List.of(member(1, java.util.Map.of(), 2))));
        assertEquals(1, Checks.lock(List.of(steps.get(0), steps.get(0)), List.of(member(1, java.util.Map.of(), 2))).size(),
                "two acknowledged increments made one version");
    }

    @Test
    void aHoldersIncrementRefusedMeansTwoHoldersAtOnce() {
        List<String> found = Checks.lock(List.of(increment(0, Outcome.OK), increment(0, Outcome.FAIL)),
                List.of(member(1, java.util.Map.of(), 1)));
        assertEquals(1, found.size(), found.toString());
    }

    /** A WATCH_READ (or another answer) of session 1 on register 0, answered at {@code seq} showing {@code version}. */
    private static Op answer(F f, int version, long seq) {
        return new Op(0, 1, f, 0, -1, "v" + version, seq * 10, seq * 10 + 5, Outcome.OK, version, null, seq);
    }

    private static History.WatchEvent event(long registration, long seq) {
        return new History.WatchEvent(0, 1, registration, seq, 0, "NodeDataChanged", seq * 10);
    }

    @Test
    void aWatchFiresOnceBeforeTheNewDataAndOnlyForAChange() {
        List<Op> ops = List.of(answer(F.WATCH_READ, 1, 1), answer(F.READ, 1, 2), answer(F.READ, 2, 4),
                answer(F.WATCH_READ, 2, 5), answer(F.WRITE, 3, 7));
        assertEquals(List.of(), Checks.watches(ops, List.of(event(1, 3), event(5, 6))));
        assertEquals(1, Checks.watches(ops, List.of(event(1, 3), event(1, 3), event(5, 6))).size(), "twice");
        assertEquals(1, Checks.watches(ops, List.of(event(1, 3))).size(), "own write seen before the event");
        assertEquals(1, Checks.watches(ops, List.of(event(1, 5), event(5, 6))).size(), "new data read before the event");
        List<Op> unchanged = List.of(answer(F.WATCH_READ, 1, 1), answer(F.READ, 1, 3));
        assertEquals(1, Checks.watches(unchanged, List.of(event(1, 2))).size(), "an event without a change");
        assertEquals(List.of(), Checks.watches(unchanged, List.of()), "a watch that never fires is fine");
    }
}
