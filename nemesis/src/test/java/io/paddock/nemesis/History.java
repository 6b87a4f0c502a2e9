package io.paddock.nemesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients asked and what came back: one {@link Op} per operation, times in nanoseconds
 * since the workload started, and every {@link Expiry} a client was told. Written as JSON lines, an
 * invoke and a completion event per op, an expired event per expiry.
 */
final class History {
    enum F { READ, SYNC_READ, WRITE, CAS }

    /** ok: the server answered with success; fail: it did not happen (for a CAS, a refusal); unknown: no answer. */
    enum Outcome { OK, FAIL, UNKNOWN }

    /**
     * One operation of client {@code process} on register {@code key} through session {@code session}.
     * {@code value} is what a write wrote or a read returned; {@code version} the register's version the
     * server reported (-1 if none); {@code expected} the version a CAS expected.
     */
    record Op(int process, long session, F f, int key, int expected, String value, long invokedAt, long returnedAt,
            Outcome outcome, int version, String error) {
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

    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Expiry> expiries = new ConcurrentLinkedQueue<>();

    void add(Op op) {
        ops.add(op);
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

    /** Writes the history as JSON lines: invoke and completion events in time order. */
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
        events.sort(Comparator.comparingLong(e -> (Long) e.get("time")));
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
}
