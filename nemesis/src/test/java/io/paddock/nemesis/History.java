package io.paddock.nemesis;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;

/**
 * What the clients asked and what came back: one {@link Op} per register operation, times in
 * nanoseconds since the workload started, every {@link Expiry} a client was told, the sequential
 * {@link Create}s, the lock's {@link LockStep}s, the {@link WatchEvent}s, and each healed server's
 * final state ({@link Member}). Written as JSON lines (an invoke and a completion event per register
 * op, one event for each of the others) and read back by {@link #read(Path)}, so a recorded run can
 * be checked again offline.
 */
final class History {
    /** WATCH_READ: a getData that also sets a one-shot data watch (a distinct Watcher per registration). */
    enum F { READ, SYNC_READ, WRITE, CAS, WATCH_READ }

    /** ok: the server answered with success; fail: it did not happen (for a CAS, a refusal); unknown: no answer. */
    enum Outcome { OK, FAIL, UNKNOWN }

    /**
     * One operation of client {@code process} on register {@code key} through session {@code session}.
     * {@code value} is what a write wrote or a read returned; {@code version} the register's version the
     * server reported (-1 if none); {@code expected} the version a CAS expected; {@code seq} where its
     * answer came in its session's event-thread order (see {@link WatchEvent}), -1 if none came.
     */
    record Op(int process, long session, F f, int key, int expected, String value, long invokedAt, long returnedAt,
            Outcome outcome, int version, String error, long seq) {
        Op(int process, long session, F f, int key, int expected, String value, long invokedAt, long returnedAt,
                Outcome outcome, int version, String error) {
            this(process, session, f, key, expected, value, invokedAt, returnedAt, outcome, version, error, -1);
        }

        boolean isWrite() {
            return f == F.WRITE || f == F.CAS;
        }

        /** A CAS the server answered with BadVersion: it did not happen, and it read another version. */
        boolean refused() {
            return outcome == Outcome.FAIL && "BADVERSION".equals(error);
        }

        @Override
        public String toString() {
            return String.format("p%d s%x %s r%d%s %s [%.3f, %.3f] -> %s%s%s", process, session,
                    f.name().toLowerCase(), key, f == F.CAS ? " v" + expected : "", value == null ? "" : value,
                    invokedAt / 1e9, returnedAt / 1e9, outcome.name().toLowerCase(), version >= 0 ? " v" + version : "",
                    error == null ? "" : " " + error);
        }
    }

    /**
     * Client {@code process} was told, at {@code at}, that session {@code session} expired: {@code how} is
     * "event" (the client's Expired state) or "op" (an op answered SessionExpired).
     */
    record Expiry(int process, long session, long at, String how) {
        @Override
        public String toString() {
            return String.format("p%d s%x told expired (%s) at %.3f", process, session, how, at / 1e9);
        }
    }

    /**
     * A PERSISTENT_SEQUENTIAL create under {@link SetWorkload#SET} with a payload unique to the attempt;
     * {@code name} is the child's name the server returned (null unless ok).
     */
    record Create(int process, long session, String payload, long invokedAt, long returnedAt, Outcome outcome,
            String name, String error) {
        @Override
        public String toString() {
            return String.format("p%d s%x create %s [%.3f, %.3f] -> %s%s%s", process, session, payload, invokedAt / 1e9,
                    returnedAt / 1e9, outcome.name().toLowerCase(), name == null ? "" : " " + name,
                    error == null ? "" : " " + error);
        }
    }

    /** What a lock step is: take a place in the queue, increment the counter with a CAS, or release. */
    enum Step { ACQUIRE, INCREMENT, RELEASE }

    /**
     * One step of the lock workload ({@link LockWorkload}); for an increment, {@code expected} is the
     * counter's version the holder read and {@code version} the one it wrote (-1 if none).
     */
    record LockStep(int process, long session, Step step, int expected, long invokedAt, long returnedAt, Outcome outcome,
            int version, String error) {
        @Override
        public String toString() {
            return String.format("p%d s%x %s%s [%.3f, %.3f] -> %s%s%s", process, session, step.name().toLowerCase(),
                    step == Step.INCREMENT ? " v" + expected : "", invokedAt / 1e9, returnedAt / 1e9,
                    outcome.name().toLowerCase(), version >= 0 ? " v" + version : "", error == null ? "" : " " + error);
        }
    }

    /**
     * A watch event (not a None-type state event) delivered to the watcher registered by the
     * WATCH_READ of {@code session} whose answer was {@code registration} in the session's event-thread
     * order; {@code seq} is the event's own place in that order. The Apache client runs callbacks and
     * watchers on one event thread, so these numbers order answers and events exactly.
     */
    record WatchEvent(int process, long session, long registration, long seq, int key, String kind, long at) {
        @Override
        public String toString() {
            return String.format("p%d s%x event %s r%d (registered #%d) #%d at %.3f", process, session, kind, key,
                    registration, seq, at / 1e9);
        }
    }

    /** A znode's data as a healed server had it. */
    record Node(String value, int version, long mzxid) {
    }

    /**
     * A healed server's final state: the registers by key, the set's children (name to payload), the
     * lock counter.
     */
    record Member(int server, Map<Integer, Node> registers, Map<String, String> set, Node counter) {
    }

    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Expiry> expiries = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Create> creates = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LockStep> lockSteps = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<WatchEvent> watchEvents = new ConcurrentLinkedQueue<>();
    private final List<Member> members = new ArrayList<>();

    void add(Op op) {
        ops.add(op);
    }

    void add(Create create) {
        creates.add(create);
    }

    void add(LockStep step) {
        lockSteps.add(step);
    }

    void add(WatchEvent event) {
        watchEvents.add(event);
    }

    /** The healed servers' final states, replacing any recorded before. */
    synchronized void members(List<Member> healed) {
        members.clear();
        members.addAll(healed);
    }

    synchronized List<Member> members() {
        return List.copyOf(members);
    }

    /** The creates, in invocation order. */
    List<Create> creates() {
        List<Create> all = new ArrayList<>(creates);
        all.sort(Comparator.comparingLong(Create::invokedAt));
        return all;
    }

    /** The lock steps, in invocation order. */
    List<LockStep> lockSteps() {
        List<LockStep> all = new ArrayList<>(lockSteps);
        all.sort(Comparator.comparingLong(LockStep::invokedAt));
        return all;
    }

    /** The watch events, in delivery order. */
    List<WatchEvent> watchEvents() {
        List<WatchEvent> all = new ArrayList<>(watchEvents);
        all.sort(Comparator.comparingLong(WatchEvent::at));
        return all;
    }

    void expired(Expiry expiry) {
        expiries.add(expiry);
    }

    /** Every time a client was told its session expired, in time order. */
    List<Expiry> expiries() {
        List<Expiry> all = new ArrayList<>(expiries);
        all.sort(Comparator.comparingLong(Expiry::at));
        return all;
    }

    /** Every op, in the order it was invoked. */
    List<Op> ops() {
        List<Op> all = new ArrayList<>(ops);
        all.sort(Comparator.comparingLong(Op::invokedAt));
        return all;
    }

    /**
     * Writes the history as JSON lines: invoke and completion events of the register ops, expiries,
     * creates, lock steps and watch events in time order, then the servers' final states.
     */
    void write(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> events = new ArrayList<>();
        for (Op op : ops()) {
            Map<String, Object> invoke = new LinkedHashMap<>();
            invoke.put("time", op.invokedAt());
            invoke.put("type", "invoke");
            invoke.put("process", op.process());
            invoke.put("session", Long.toHexString(op.session()));
            invoke.put("f", op.f().name().toLowerCase());
            invoke.put("key", op.key());
            if (op.f() == F.CAS) {
                invoke.put("expected", op.expected());
            }
            if (op.isWrite()) {
                invoke.put("value", op.value());
            }
            events.add(invoke);
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("time", op.returnedAt());
            done.put("type", op.outcome().name().toLowerCase());
            done.put("process", op.process());
            done.put("f", op.f().name().toLowerCase());
            done.put("key", op.key());
            if (!op.isWrite() && op.value() != null) {
                done.put("value", op.value());
            }
            if (op.version() >= 0) {
                done.put("version", op.version());
            }
            if (op.error() != null) {
                done.put("error", op.error());
            }
            if (op.seq() >= 0) {
                done.put("seq", op.seq());
            }
            events.add(done);
        }
        for (Expiry x : expiries()) {
            Map<String, Object> told = new LinkedHashMap<>();
            told.put("time", x.at());
            told.put("type", "expired");
            told.put("process", x.process());
            told.put("session", Long.toHexString(x.session()));
            told.put("how", x.how());
            events.add(told);
        }
        creates().forEach(c -> events.add(event(json, c.returnedAt(), "create", c)));
        lockSteps().forEach(l -> events.add(event(json, l.returnedAt(), "lock", l)));
        watchEvents().forEach(w -> events.add(event(json, w.at(), "watch-event", w)));
        events.sort(Comparator.comparingLong(e -> (Long) e.get("time")));
        members().forEach(m -> events.add(event(json, null, "final", m)));
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                for (Map<String, Object> e : events) {
                    w.write(json.writeValueAsString(e));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record as one event: its time (when it completed) and type first, then its fields. */
    private static Map<String, Object> event(ObjectMapper json, Long time, String type, Record r) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (time != null) {
            e.put("time", time);
        }
        e.put("type", type);
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = json.convertValue(r, Map.class);
        if (fields.containsKey("type") || fields.containsKey("time")) {
            throw new IllegalArgumentException("a field would hide the event's type or time: " + r);
        }
        e.putAll(fields);
        return e;
    }

    /** Reads a history {@link #write} wrote (gzipped if its name ends in .gz). */
    static History read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static History read(InputStream in) throws IOException {
        // The events carry their type and time beside the records' fields.
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        History history = new History();
        List<Member> members = new ArrayList<>();
        // A process has one op in flight at a time: its completion follows its invoke.
        Map<Integer, Deque<JsonNode>> invoked = new HashMap<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode e = json.readTree(line);
            String type = e.get("type").asText();
            switch (type) {
                case "invoke" -> invoked.computeIfAbsent(e.get("process").asInt(), p -> new ArrayDeque<>()).add(e);
                case "ok", "fail", "unknown" -> history.add(op(invoked.getOrDefault(e.get("process").asInt(),
                        new ArrayDeque<>()).poll(), e, type));
                case "expired" -> history.expired(new Expiry(e.get("process").asInt(),
                        Long.parseUnsignedLong(e.get("session").asText(), 16), e.get("time").asLong(),
                        e.get("how").asText()));
                case "create" -> history.add(json.treeToValue(e, Create.class));
                case "lock" -> history.add(json.treeToValue(e, LockStep.class));
                case "watch-event" -> history.add(json.treeToValue(e, WatchEvent.class));
                case "final" -> members.add(json.treeToValue(e, Member.class));
                default -> throw new IOException("unknown event type " + type + ": " + line);
            }
        }
        history.members(members);
        return history;
    }

    /** A register op from its invoke event and its completion event (of outcome {@code type}). */
    private static Op op(JsonNode invoke, JsonNode done, String type) throws IOException {
        if (invoke == null) {
            throw new IOException("a completion without its invoke: " + done);
        }
        F f = F.valueOf(invoke.get("f").asText().toUpperCase());
        boolean write = f == F.WRITE || f == F.CAS;
        JsonNode value = (write ? invoke : done).get("value");
        return new Op(invoke.get("process").asInt(), Long.parseUnsignedLong(invoke.get("session").asText(), 16), f,
                invoke.get("key").asInt(), invoke.path("expected").asInt(-1), value == null ? null : value.asText(),
                invoke.get("time").asLong(), done.get("time").asLong(),
                Outcome.valueOf(type.toUpperCase()), done.path("version").asInt(-1),
                done.hasNonNull("error") ? done.get("error").asText() : null, done.path("seq").asLong(-1));
    }
}
