package io.paddock.bench;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.protocol.CreateMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Measures how long an ensemble stops taking writes when something happens to it (typically
 * the leader's SIGKILL). {@code sessions} sessions, each keeping {@code outstanding} creates in
 * flight, write steadily for {@code before} seconds; then the trigger fires: a shell command
 * ({@code --trigger "kill -9 1234"}), or without one a line read on stdin. The trigger instant
 * T is taken once the command has exited (or the line was read), so writes that start after T
 * cannot have been served by the world before the trigger.
 *
 * <p>Reported, from T: the time until the first write that started after T succeeded (the
 * failover time), the time until every session has had such a write, and the writes that
 * failed in between (completed with an error after T and before that first success), by error
 * code. One human line and one JSON line on stdout; progress on stderr, and with
 * {@code --verbose true} every session's state changes, failures and first new write, in ms
 * from T.
 *
 * <pre>Failover --connect 127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183 --sessions 8 --outstanding 1
 *          --size 100 --before 5 --timeout 60 --session-timeout 30 --trigger "kill -9 1234" --verbose false</pre>
 */
public final class Failover {
    private Failover() {
    }

    /** Parsed command line. */
    record Options(String connect, int sessions, int outstanding, int size, int beforeS, int timeoutS,
                   int sessionTimeoutS, String trigger, boolean verbose) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                m.put(args[i].substring(2), args[i + 1]);
            }
            return new Options(m.getOrDefault("connect", "127.0.0.1:2181"),
                    Integer.parseInt(m.getOrDefault("sessions", "8")), Integer.parseInt(m.getOrDefault("outstanding", "1")),
                    Integer.parseInt(m.getOrDefault("size", "100")), Integer.parseInt(m.getOrDefault("before", "5")),
                    Integer.parseInt(m.getOrDefault("timeout", "60")),
                    Integer.parseInt(m.getOrDefault("session-timeout", "30")), m.get("trigger"),
                    Boolean.parseBoolean(m.getOrDefault("verbose", "false")));
        }
    }

    /** A write that completed with an error: when (nanoTime) and why. */
    private record Failure(long endNanos, String code) {
    }

    /** Shared between the drivers and the main thread. */
    private static final class Tally {
        static final long NOT_YET = Long.MAX_VALUE;

        /** T, or NOT_YET before the trigger. */
        volatile long trigger = NOT_YET;
        /** Per session: when its first write started after T succeeded (end time), or NOT_YET. */
        final AtomicLongArray recovered;
        final AtomicLong writesBefore = new AtomicLong();
        final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

        final boolean verbose;

        Tally(int sessions, boolean verbose) {
            this.verbose = verbose;
            recovered = new AtomicLongArray(sessions);
            for (int i = 0; i < sessions; i++) {
                recovered.set(i, NOT_YET);
            }
        }

        void completed(int session, long begin, long end, Throwable err) {
            long t = trigger;
            if (err != null) {
                if (end >= t) {
                    failures.add(new Failure(end, codeOf(err)));
                }
            } else if (t == NOT_YET) {
                writesBefore.incrementAndGet();
            } else if (begin >= t && recovered.getAndAccumulate(session, end, Math::min) == NOT_YET && verbose) {
                System.err.printf(Locale.ROOT, "%+8.0f ms  session %d: first write started after the trigger succeeded%n",
                        (end - t) / 1e6, session);
            }
            if (err != null && verbose && end >= t) {
                System.err.printf(Locale.ROOT, "%+8.0f ms  session %d: write failed, %s%n", (end - t) / 1e6, session,
                        codeOf(err));
            }
        }

        boolean allRecovered() {
            for (int i = 0; i < recovered.length(); i++) {
                if (recovered.get(i) == NOT_YET) {
                    return false;
                }
            }
            return true;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        List<PaddockClient> clients = new ArrayList<>();
        Tally tally = new Tally(o.sessions(), o.verbose());
        for (int i = 0; i < o.sessions(); i++) {
            int session = i;
            PaddockClient c = PaddockClient.builder(o.connect()).sessionTimeout(Duration.ofSeconds(o.sessionTimeoutS()))
                    .stateListener(state -> {
                        if (o.verbose() && tally.trigger != Tally.NOT_YET) {
                            System.err.printf(Locale.ROOT, "%+8.0f ms  session %d: %s%n",
                                    (System.nanoTime() - tally.trigger) / 1e6, session, state);
                        }
                    })
                    .build();
            if (!c.awaitConnected(Duration.ofSeconds(30))) {
                throw new IllegalStateException("session " + i + " could not connect to " + o.connect());
            }
            clients.add(c);
        }
        String root = "/failover-" + Long.toHexString(System.nanoTime());
        clients.get(0).create(root, null, CreateMode.PERSISTENT);
        byte[] payload = new byte[o.size()];
        new Random(11).nextBytes(payload);

        List<Thread> drivers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        for (int s = 0; s < o.sessions(); s++) {
            PaddockClient c = clients.get(s);
            int session = s;
            Thread t = new Thread(() -> drive(c, session, o, root, payload, stop, tally), "writer-" + s);
            t.start();
            drivers.add(t);
        }

        long loadStart = System.nanoTime();
        long beforeEnd = loadStart + TimeUnit.SECONDS.toNanos(o.beforeS());
        while (System.nanoTime() < beforeEnd) {
            Thread.sleep(100);
        }
        double writesPerSecBefore = tally.writesBefore.get() / ((System.nanoTime() - loadStart) / 1e9);
        long commandMs = fireTrigger(o.trigger());
        long t = System.nanoTime();
        tally.trigger = t;
        System.err.printf(Locale.ROOT, "triggered after %,.0f writes/s; waiting for every session to write again%n",
                writesPerSecBefore);

        long deadline = t + TimeUnit.SECONDS.toNanos(o.timeoutS());
        while (!tally.allRecovered() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        stop.set(true);
        for (Thread d : drivers) {
            d.join(TimeUnit.SECONDS.toMillis(o.timeoutS()));
        }
        report(o, tally, t, writesPerSecBefore, commandMs);
        for (PaddockClient c : clients) {
            c.close();
        }
    }

    /** Runs the command (or waits for a line on stdin); returns how long the command took, in ms. */
    private static long fireTrigger(String command) throws Exception {
        if (command == null) {
            System.err.println("press Enter to trigger");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return 0;
        }
        long start = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("trigger command failed (exit " + rc + "): " + command);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void report(Options o, Tally tally, long t, double writesPerSecBefore, long commandMs) {
        long first = Tally.NOT_YET;
        long last = 0;
        int recoveredSessions = 0;
        for (int i = 0; i < o.sessions(); i++) {
            long r = tally.recovered.get(i);
            if (r != Tally.NOT_YET) {
                first = Math.min(first, r);
                last = Math.max(last, r);
                recoveredSessions++;
            }
        }
        boolean recovered = recoveredSessions == o.sessions();
        long firstEnd = first;
        Map<String, Integer> byCode = new TreeMap<>();
        int failedBefore = 0;
        int failedAll = 0;
        long firstFailure = Tally.NOT_YET;
        long lastFailure = 0;
        for (Failure f : tally.failures) {
            firstFailure = Math.min(firstFailure, f.endNanos());
            lastFailure = Math.max(lastFailure, f.endNanos());
            if (f.endNanos() <= firstEnd) {
                byCode.merge(f.code(), 1, Integer::sum);
                failedBefore++;
            }
            if (!recovered || f.endNanos() <= last) {
                failedAll++;
            }
        }
        double firstMs = first == Tally.NOT_YET ? -1 : (first - t) / 1e6;
        double allMs = recovered ? (last - t) / 1e6 : -1;
        // When the clients learnt of the trigger: at once after a SIGKILL (the sockets close), only
        // after a timeout when the servers go silent.
        double firstFailureMs = firstFailure == Tally.NOT_YET ? -1 : (firstFailure - t) / 1e6;
        double lastFailureMs = firstFailure == Tally.NOT_YET ? -1 : (lastFailure - t) / 1e6;
        String trigger = o.trigger() == null ? "stdin" : o.trigger();
        if (first == Tally.NOT_YET) {
            System.out.printf(Locale.ROOT, "no write succeeded within %d s of the trigger (%s); %d writes failed%n",
                    o.timeoutS(), trigger, failedAll);
        } else {
            System.out.printf(Locale.ROOT, "failover: first write started after the trigger succeeded %.0f ms after it; "
                            + "%s; %d writes failed in between %s, %.0f to %.0f ms after the trigger (%d sessions x %d outstanding, "
                            + "%,.0f writes/s before)%n",
                    firstMs, recovered ? String.format(Locale.ROOT, "all %d sessions wrote again after %.0f ms",
                            o.sessions(), allMs) : recoveredSessions + " of " + o.sessions() + " sessions wrote again",
                    failedBefore, byCode, firstFailureMs, lastFailureMs, o.sessions(), o.outstanding(), writesPerSecBefore);
        }
        StringBuilder codes = new StringBuilder("{");
        byCode.forEach((k, v) -> codes.append(codes.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        codes.append('}');
        System.out.printf(Locale.ROOT, "{\"trigger\":\"%s\",\"commandMs\":%d,\"sessions\":%d,\"outstanding\":%d,\"size\":%d,"
                        + "\"writesPerSecBefore\":%.0f,\"firstWriteMs\":%.1f,\"allSessionsMs\":%.1f,\"recoveredSessions\":%d,"
                        + "\"failedWrites\":%d,\"failedByCode\":%s,\"firstFailureMs\":%.1f,\"lastFailureMs\":%.1f,\"failedWritesUntilAll\":%d}%n",
                trigger.replace("\\", "\\\\").replace("\"", "\\\""), commandMs, o.sessions(), o.outstanding(), o.size(),
                writesPerSecBefore, firstMs, allMs, recoveredSessions, failedBefore, codes, firstFailureMs, lastFailureMs, failedAll);
    }

    private static String codeOf(Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return e instanceof PaddockException pe ? pe.code().name() : e.getClass().getSimpleName();
    }

    private static void drive(PaddockClient c, int session, Options o, String root, byte[] payload,
                              AtomicBoolean stop, Tally tally) {
        Semaphore window = new Semaphore(o.outstanding());
        long seq = 0;
        while (!stop.get()) {
            try {
                if (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long begin = System.nanoTime();
            c.createAsync(root + "/s" + session + "-" + (seq++), payload, CreateMode.PERSISTENT).whenComplete((r, err) -> {
                tally.completed(session, begin, System.nanoTime(), err);
                window.release();
            });
        }
        // Writes still in flight at the end are abandoned: closing the client fails them.
    }
}
