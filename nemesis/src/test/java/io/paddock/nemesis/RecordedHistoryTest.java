package io.paddock.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.paddock.nemesis.History.Create;
import io.paddock.nemesis.History.F;
import io.paddock.nemesis.History.Member;
import io.paddock.nemesis.History.Node;
import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import io.paddock.nemesis.History.WatchEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Histories recorded by real runs (nemesis/run.sh, 3 servers, partitions, seed 14, 30 s), read back:
 * unmodified, each passes every checker; corrupted on purpose in one way (a stale sync read, a view
 * going back, a lost write, a lost or duplicated create, a diverged member, a watch event delivered
 * after the data it announces, a lock holder's increment refused), the checker for it fails.
 * So the checkers are shown to see real histories, not only the small ones of {@link ChecksTest}.
 */
class RecordedHistoryTest {
    private static History recorded(String system) throws IOException {
        String name = "/histories/" + system + "-partitions-14.jsonl.gz";
        InputStream in = RecordedHistoryTest.class.getResourceAsStream(name);
        assertNotNull(in, name);
        try (InputStream gz = new GZIPInputStream(in)) {
            return History.read(gz);
        }
    }

    /** A copy of {@code h} with its ops, creates and final states replaced by what {@code change} makes of them. */
    private static History changed(History h, Function<List<Op>, List<Op>> ops, Function<List<Create>, List<Create>> creates,
            Function<List<Member>, List<Member>> members) {
        return changed(h, ops, creates, members, events -> events);
    }

    private static History changed(History h, Function<List<Op>, List<Op>> ops, Function<List<Create>, List<Create>> creates,
            Function<List<Member>, List<Member>> members, Function<List<WatchEvent>, List<WatchEvent>> events) {
        return changed(h, ops, creates, members, events, steps -> steps);
    }

    private static History changed(History h, Function<List<Op>, List<Op>> ops, Function<List<Create>, List<Create>> creates,
            Function<List<Member>, List<Member>> members, Function<List<WatchEvent>, List<WatchEvent>> events,
            Function<List<History.LockStep>, List<History.LockStep>> steps) {
        History copy = new History();
        ops.apply(h.ops()).forEach(copy::add);
        creates.apply(h.creates()).forEach(copy::add);
        h.expiries().forEach(copy::expired);
        steps.apply(h.lockSteps()).forEach(copy::add);
        events.apply(h.watchEvents()).forEach(copy::add);
        copy.members(members.apply(h.members()));
        return copy;
    }

    private static void fails(String checker, History corrupted) {
        Map<String, List<String>> verdicts = Checks.all(corrupted, NemesisRun.KEYS);
        assertFalse(verdicts.get(checker).isEmpty(), checker + " passed a corrupted history");
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void theRecordedHistoryPassesEveryChecker(String system) throws IOException {
        History h = recorded(system);
        Map<String, List<String>> verdicts = Checks.all(h, NemesisRun.KEYS);
        verdicts.values().forEach(v -> assertEquals(List.of(), v));
        assertFalse(h.creates().isEmpty() || h.lockSteps().isEmpty() || h.watchEvents().isEmpty() || h.members().size() != 3,
                "every workload and every member is in the recording");
    }

    /** The value an acknowledged write gave {@code key} at {@code version}, or null. */
    private static String written(List<Op> ops, int key, int version) {
        return ops.stream().filter(w -> w.isWrite() && w.outcome() == Outcome.OK && w.key() == key && w.version() == version)
                .map(Op::value).findFirst().orElse(null);
    }

    private static Op withVersion(Op op, int version, String value) {
        return new Op(op.process(), op.session(), op.f(), op.key(), op.expected(), value, op.invokedAt(), op.returnedAt(),
                op.outcome(), version, op.error(), op.seq());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aStaleSyncReadFails(String system) throws IOException {
        History h = recorded(system);
        List<Op> ops = h.ops();
        // A sync then read whose version was acknowledged before the sync was sent: made to return the version before.
        Op read = ops.stream().filter(r -> r.f() == F.SYNC_READ && r.outcome() == Outcome.OK && r.version() > 1
                && ops.stream().anyMatch(w -> w.isWrite() && w.outcome() == Outcome.OK && w.key() == r.key()
                        && w.version() == r.version() && w.returnedAt() < r.invokedAt())
                && written(ops, r.key(), r.version() - 1) != null).findFirst().orElseThrow();
        Op stale = withVersion(read, read.version() - 1, written(ops, read.key(), read.version() - 1));
        fails("sync reads", changed(h, o -> replace(o, read, stale), c -> c, m -> m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aSessionsViewGoingBackFails(String system) throws IOException {
        History h = recorded(system);
        List<Op> ops = h.ops();
        // A read after another answer of its session showing that register at version v > 0: made to show v - 1.
        Map<String, Op> last = new HashMap<>();
        Op[] found = new Op[2];
        for (Op op : ops) {
            if (op.outcome() != Outcome.OK) {
                continue;
            }
            Op before = last.put(op.session() + "/" + op.key(), op);
            if (found[0] == null && before != null && !op.isWrite() && before.version() > 0
                    && written(ops, op.key(), before.version() - 1) != null) {
                found[0] = op;
                found[1] = withVersion(op, before.version() - 1, written(ops, op.key(), before.version() - 1));
            }
        }
        assertNotNull(found[0]);
        fails("session views", changed(h, o -> replace(o, found[0], found[1]), c -> c, m -> m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aLostWriteFails(String system) throws IOException {
        History h = recorded(system);
        List<Op> ops = h.ops();
        // Every member ends one version short on a register whose last version was acknowledged.
        int key = 0;
        Node last = h.members().get(0).registers().get(key);
        assertNotNull(written(ops, key, last.version()));
        Node before = new Node(written(ops, key, last.version() - 1), last.version() - 1, last.mzxid());
        fails("registers survive", changed(h, o -> o, c -> c, m -> m.stream()
                .map(x -> withRegister(x, key, before)).toList()));
    }

    private static Member withRegister(Member m, int key, Node node) {
        Map<Integer, Node> registers = new TreeMap<>(m.registers());
        registers.put(key, node);
        return new Member(m.server(), registers, m.set(), m.counter());
    }

    private static Member withSet(Member m, Map<String, String> set) {
        return new Member(m.server(), m.registers(), set, m.counter());
    }

    /** {@code h} with every member's set changed by {@code change}, given the first create acknowledged ok. */
    private static History setChanged(History h, java.util.function.BiConsumer<Map<String, String>, Create> change) {
        Create c = h.creates().stream().filter(x -> x.outcome() == Outcome.OK).findFirst().orElseThrow();
        return changed(h, o -> o, cs -> cs, m -> m.stream().map(x -> {
            Map<String, String> set = new TreeMap<>(x.set());
            change.accept(set, c);
            return withSet(x, set);
        }).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aLostCreateFails(String system) throws IOException {
        fails("set", setChanged(recorded(system), (set, c) -> set.remove(c.name())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aDuplicatedCreateFails(String system) throws IOException {
        fails("set", setChanged(recorded(system), (set, c) -> set.put("e-9999999999", c.payload())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aDivergedMemberFails(String system) throws IOException {
        History h = recorded(system);
        fails("members agree", changed(h, o -> o, cs -> cs, m -> {
            List<Member> members = new ArrayList<>(m);
            Member last = members.get(members.size() - 1);
            Node r = last.registers().get(1);
            members.set(members.size() - 1, withRegister(last, 1, new Node(r.value(), r.version(), r.mzxid() + 1)));
            return members;
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aWatchEventDeliveredAfterTheNewDataFails(String system) throws IOException {
        History h = recorded(system);
        List<Op> ops = h.ops();
        // An event moved after the first answer of its session that shows the change it announces.
        for (WatchEvent e : h.watchEvents()) {
            Op r = ops.stream().filter(o -> o.session() == e.session() && o.seq() == e.registration()
                    && o.f() == F.WATCH_READ).findFirst().orElseThrow();
            Op newer = ops.stream().filter(a -> a.session() == e.session() && a.key() == e.key() && a.outcome() == Outcome.OK
                    && a.seq() > e.seq() && a.version() > r.version()).findFirst().orElse(null);
            if (newer != null) {
                WatchEvent late = new WatchEvent(e.process(), e.session(), e.registration(), newer.seq() + 1, e.key(),
                        e.kind(), newer.returnedAt());
                fails("watches", changed(h, o -> o, c -> c, m -> m, events -> {
                    List<WatchEvent> out = new ArrayList<>(events);
                    out.set(out.indexOf(e), late);
                    return out;
                }));
                return;
            }
        }
        throw new AssertionError("no watch event followed by an answer showing its change");
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aHoldersIncrementRefusedFails(String system) throws IOException {
        History h = recorded(system);
        // One acknowledged increment turned into a BadVersion refusal: a second holder would have written between.
        History.LockStep ok = h.lockSteps().stream().filter(s -> s.step() == History.Step.INCREMENT
                && s.outcome() == Outcome.OK).findFirst().orElseThrow();
        fails("lock", changed(h, o -> o, c -> c, m -> m, e -> e, steps -> steps.stream().map(s -> s != ok ? s
                : new History.LockStep(s.process(), s.session(), s.step(), s.expected(), s.invokedAt(), s.returnedAt(),
                        Outcome.FAIL, -1, "BADVERSION")).toList()));
    }

    private static List<Op> replace(List<Op> ops, Op old, Op by) {
        List<Op> out = new ArrayList<>(ops);
        out.set(out.indexOf(old), by);
        return out;
    }
}
