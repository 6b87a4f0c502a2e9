package io.paddock.bench;

import io.paddock.client.PaddockClient;
import io.paddock.client.Transaction;
import io.paddock.protocol.CreateMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * A load generator on Paddock's client: {@code sessions} sessions for {@code duration} seconds
 * after a {@code warmup} that is not counted, in one of two loops.
 *
 * <ul>
 *   <li><b>Closed loop</b> (the default, {@code --rate 0}): each session keeps {@code outstanding}
 *       requests in flight, so the offered load is whatever the server absorbs; latency is from
 *       each request's send.</li>
 *   <li><b>Open loop</b> ({@code --rate R}, R operations per second over all sessions): each
 *       session issues at R / sessions on a fixed schedule, the k-th operation intended at
 *       {@code start + k * interval} (sessions staggered within one interval). Latency is from the
 *       <em>intended</em> send time, so a server that falls behind is charged for the whole wait
 *       and not only for the requests it did answer (no coordinated omission). {@code outstanding}
 *       still bounds each session's requests in flight; an operation that finds the bound reached
 *       waits, its latency still counted from its intended time. An operation still unsent
 *       {@value #LATE_LIMIT_S} s after the end of the window is given up and recorded with the
 *       time it had waited by then (a lower bound), and counted as {@code late}.
 *       Every operation intended within the measured window is recorded, however late it
 *       completes; ops/s is then the achieved rate: operations completed within the window per
 *       second.</li>
 * </ul>
 *
 * <p>Workloads: create (unique nodes), set and get (over {@code keys} existing nodes), mixed (a
 * read ratio of get, the rest set), multi (one transaction of {@code multi-ops} setData on random
 * keys per operation), churn (a session opened, connected and closed per operation;
 * {@code outstanding} is then 1: each driver waits for its session; closed loop only).
 * Watch fan-out is {@link FanOut}. Prints a progress line per second, then the offered and
 * achieved ops/s and latency percentiles (HdrHistogram) as a table and one JSON line.
 *
 * <p>{@code --then-rate R} (or {@code --then-rate-fraction F}: F times the ops/s just measured)
 * adds a second, open-loop phase on the same sessions and nodes right after the first: a
 * {@code then-warmup} (1 s by default; the servers and this JVM are warm by then) and
 * {@code then-duration} seconds measured, reported like the first with its own table and JSON
 * line. {@code bench/compare.sh} uses it to measure both servers at the same offered load
 * without starting them again.
 *
 * <p>With {@code --server-pids} (a comma-separated list of the servers' process ids on this
 * machine) it also reports the CPU time those processes used during the measured window
 * ({@code utime + stime} of {@code /proc/<pid>/stat}, as {@link ProcessHandle.Info} reads it),
 * per operation completed in that window; and the load generator's own CPU per operation.
 *
 * <pre>LoadGen --connect 127.0.0.1:2181 --workload create --sessions 16 --outstanding 16
 *         --size 100 --keys 10000 --duration 20 --warmup 5 --read-ratio 0.9 [--rate 20000]
 *         [--then-rate 20000 | --then-rate-fraction 0.7] [--then-warmup 1 --then-duration 5]
 *         [--server-pids 1234,1235,1236]</pre>
 */
public final class LoadGen {
    /** Seconds after the window's end at which an open-loop session gives up unsent operations. */
    static final int LATE_LIMIT_S = 5;

    private LoadGen() {
    }

    /** Parsed command line. */
    record Options(String connect, String workload, int sessions, int outstanding, int size, int keys,
                   int durationS, int warmupS, double readRatio, List<Long> serverPids, int multiOps, double rate,
                   double thenRate, double thenRateFraction, int thenWarmupS, int thenDurationS) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                m.put(args[i].substring(2), args[i + 1]);
            }
            Options o = new Options(m.getOrDefault("connect", "127.0.0.1:2181"), m.getOrDefault("workload", "create"),
                    Integer.parseInt(m.getOrDefault("sessions", "16")), Integer.parseInt(m.getOrDefault("outstanding", "16")),
                    Integer.parseInt(m.getOrDefault("size", "100")), Integer.parseInt(m.getOrDefault("keys", "10000")),
                    Integer.parseInt(m.getOrDefault("duration", "20")), Integer.parseInt(m.getOrDefault("warmup", "5")),
                    Double.parseDouble(m.getOrDefault("read-ratio", "0.9")), pids(m.getOrDefault("server-pids", "")),
                    Integer.parseInt(m.getOrDefault("multi-ops", "4")), Double.parseDouble(m.getOrDefault("rate", "0")),
                    Double.parseDouble(m.getOrDefault("then-rate", "0")),
                    Double.parseDouble(m.getOrDefault("then-rate-fraction", "0")),
                    Integer.parseInt(m.getOrDefault("then-warmup", "1")),
                    Integer.parseInt(m.getOrDefault("then-duration", "5")));
            if (o.workload().equals("churn") && (o.rate() > 0 || o.hasThen())) {
                throw new IllegalArgumentException("churn runs in a closed loop only (no --rate, no --then-rate)");
            }
            if (o.rate() < 0 || o.thenRate() < 0 || o.thenRateFraction() < 0) {
                throw new IllegalArgumentException("rates must not be negative");
            }
            return o;
        }

        /** Whether a second, open-loop phase follows the first. */
        boolean hasThen() {
            return thenRate > 0 || thenRateFraction > 0;
        }

        private static List<Long> pids(String text) {
            List<Long> pids = new ArrayList<>();
            for (String p : text.split(",")) {
                if (!p.isBlank()) {
                    pids.add(Long.parseLong(p.trim()));
                }
            }
            return pids;
        }
    }

    /** One measured phase: its offered rate (0 = closed loop), warm-up and measured seconds. */
    record Phase(int index, double rate, int warmupS, int durationS) {
        boolean open() {
            return rate > 0;
        }
    }

    /** The figures of one phase. */
    record Result(Phase phase, Histogram latency, double opsPerSec, long errors, long late, long windowOps,
                  double serverCpuMs, double serverUsPerOp, double clientUsPerOp) {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        List<PaddockClient> clients = new ArrayList<>();
        for (int i = 0; i < o.sessions(); i++) {
            PaddockClient c = PaddockClient.builder(o.connect()).sessionTimeout(Duration.ofSeconds(30)).build();
            if (!c.awaitConnected(Duration.ofSeconds(30))) {
                throw new IllegalStateException("session " + i + " could not connect to " + o.connect());
            }
            clients.add(c);
        }
        String root = "/bench-" + Long.toHexString(System.nanoTime());
        PaddockClient first = clients.get(0);
        first.create(root, null, CreateMode.PERSISTENT);
        byte[] payload = new byte[o.size()];
        new Random(7).nextBytes(payload);
        if (!o.workload().equals("create") && !o.workload().equals("churn")) {
            List<CompletableFuture<String>> pending = new ArrayList<>();
            for (int k = 0; k < o.keys(); k++) {
                pending.add(first.createAsync(root + "/k" + k, payload, CreateMode.PERSISTENT));
                if (pending.size() >= 1000) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }

        Result result = run(clients, o, new Phase(0, o.rate(), o.warmupS(), o.durationS()), root, payload);
        report(o, result);
        if (o.hasThen()) {
            double rate = o.thenRate() > 0 ? o.thenRate() : o.thenRateFraction() * result.opsPerSec();
            Phase then = new Phase(1, Math.max(1, rate), o.thenWarmupS(), o.thenDurationS());
            System.err.printf(Locale.ROOT, "then: open loop at %,.0f ops/s%n", then.rate());
            report(o, run(clients, o, then, root, payload));
        }
        for (PaddockClient c : clients) {
            c.close();
        }
    }

    /** Runs one phase on all sessions and collects its figures; prints a progress line a second. */
    private static Result run(List<PaddockClient> clients, Options o, Phase phase, String root, byte[] payload)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong late = new AtomicLong();
        long startNanos = System.nanoTime();
        Window w = new Window(startNanos, startNanos + TimeUnit.SECONDS.toNanos(phase.warmupS()),
                startNanos + TimeUnit.SECONDS.toNanos(phase.warmupS() + phase.durationS()));
        List<Thread> drivers = new ArrayList<>();
        for (int s = 0; s < o.sessions(); s++) {
            PaddockClient c = clients.get(s);
            int session = s;
            Counters counters = new Counters(recorder, ops, errors, late);
            Thread t = new Thread(() -> drive(c, session, o, phase, root, payload, w, counters),
                    "driver-" + phase.index() + "-" + s);
            t.start();
            drivers.add(t);
        }
        Histogram total = null;
        long lastOps = 0;
        // Ticks are counted from the start rather than slept one after the other, so that the
        // ticks at warmupEnd and end bound the window in which CPU time is measured.
        CpuSample atWarmupEnd = phase.warmupS() == 0 ? CpuSample.take(o.serverPids(), ops.get()) : null;
        CpuSample atEnd = null;
        String offered = phase.open() ? String.format(Locale.ROOT, " (offered %,.0f)", phase.rate()) : "";
        for (int tick = 1; System.nanoTime() < w.end(); tick++) {
            long wake = startNanos + TimeUnit.SECONDS.toNanos(tick);
            long wait = wake - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (tick == phase.warmupS()) {
                atWarmupEnd = CpuSample.take(o.serverPids(), ops.get());
            } else if (tick == phase.warmupS() + phase.durationS()) {
                atEnd = CpuSample.take(o.serverPids(), ops.get());
            }
            Histogram interval = recorder.getIntervalHistogram();
            boolean measuring = tick > phase.warmupS();
            if (measuring) {
                total = total == null ? interval.copy() : addTo(total, interval);
            }
            long now = ops.get();
            System.err.printf(Locale.ROOT, "%s %,d ops/s%s  p99 %.2f ms  errors %d%n", measuring ? "measure" : "warmup ",
                    now - lastOps, offered, interval.getValueAtPercentile(99) / 1000.0, errors.get());
            lastOps = now;
        }
        for (Thread t : drivers) {
            t.join();
        }
        if (atEnd == null) {
            atEnd = CpuSample.take(o.serverPids(), ops.get());
        }
        if (atWarmupEnd == null) { // no measured second at all (--duration 0)
            atWarmupEnd = atEnd;
        }
        long windowOps = Math.max(1, atEnd.ops() - atWarmupEnd.ops());
        double serverCpuMs = atEnd.serverCpuNanos() < 0 || atWarmupEnd.serverCpuNanos() < 0
                ? -1 : (atEnd.serverCpuNanos() - atWarmupEnd.serverCpuNanos()) / 1e6;
        double serverUsPerOp = serverCpuMs < 0 ? -1 : serverCpuMs * 1000 / windowOps;
        double clientUsPerOp = (atEnd.clientCpuNanos() - atWarmupEnd.clientCpuNanos()) / 1e3 / windowOps;
        total = addTo(total == null ? new Histogram(3) : total, recorder.getIntervalHistogram());
        double seconds = Math.max(1, phase.durationS());
        // Closed loop: the operations recorded (sent and completed within the window). Open
        // loop: every operation intended within the window is recorded, so the achieved rate is
        // the operations completed within it.
        double rate = phase.open() ? windowOps / seconds : total.getTotalCount() / seconds;
        return new Result(phase, total, rate, errors.get(), late.get(), windowOps, serverCpuMs, serverUsPerOp,
                clientUsPerOp);
    }

    private static void report(Options o, Result r) {
        Histogram total = r.latency();
        if (r.phase().open()) {
            System.out.printf(Locale.ROOT, "workload %s sessions %d outstanding %d size %d: open loop, offered %,.0f ops/s, "
                            + "achieved %,.0f ops/s, errors %d, late %d%n", o.workload(), o.sessions(), o.outstanding(),
                    o.size(), r.phase().rate(), r.opsPerSec(), r.errors(), r.late());
        } else {
            System.out.printf(Locale.ROOT, "workload %s sessions %d outstanding %d size %d: %,.0f ops/s, errors %d%n",
                    o.workload(), o.sessions(), o.outstanding(), o.size(), r.opsPerSec(), r.errors());
        }
        System.out.printf(Locale.ROOT, "latency ms%s  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                r.phase().open() ? " (from the intended send)" : "", ms(total, 50), ms(total, 90), ms(total, 99),
                ms(total, 99.9), total.getMaxValue() / 1000.0);
        System.out.printf(Locale.ROOT, "CPU per op in the measured window (%,d ops): servers %.1f us%s, load generator %.1f us%n",
                r.windowOps(), r.serverUsPerOp(), o.serverPids().isEmpty() ? " (no --server-pids)" : "", r.clientUsPerOp());
        System.out.printf(Locale.ROOT, "{\"workload\":\"%s\",\"sessions\":%d,\"outstanding\":%d,\"size\":%d,\"opsPerSec\":%.0f,"
                        + "\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"errors\":%d,"
                        + "\"windowOps\":%d,\"serverCpuMs\":%.1f,\"serverCpuUsPerOp\":%.2f,\"clientCpuUsPerOp\":%.2f,"
                        + "\"loop\":\"%s\",\"offeredRate\":%.0f,\"late\":%d,\"phase\":%d}%n",
                o.workload(), o.sessions(), o.outstanding(), o.size(), r.opsPerSec(), ms(total, 50), ms(total, 90),
                ms(total, 99), ms(total, 99.9), total.getMaxValue() / 1000.0, r.errors(), r.windowOps(), r.serverCpuMs(),
                r.serverUsPerOp(), r.clientUsPerOp(), r.phase().open() ? "open" : "closed", r.phase().rate(), r.late(),
                r.phase().index());
    }

    /** A phase's start, the end of its warm-up and its end, in {@link System#nanoTime()}. */
    record Window(long start, long warmupEnd, long end) {
    }

    /** Where the drivers of one phase record their operations. */
    record Counters(Recorder recorder, AtomicLong ops, AtomicLong errors, AtomicLong late) {
    }

    /**
     * CPU time used so far by the servers (all together; -1 when one is gone or its time is
     * unknown) and by this process, with the count of operations completed at that moment.
     */
    record CpuSample(long serverCpuNanos, long clientCpuNanos, long ops) {
        static CpuSample take(List<Long> serverPids, long ops) {
            long servers = 0;
            for (long pid : serverPids) {
                long t = cpuNanos(ProcessHandle.of(pid));
                if (t < 0) {
                    servers = -1;
                    break;
                }
                servers += t;
            }
            return new CpuSample(servers, cpuNanos(Optional.of(ProcessHandle.current())), ops);
        }

        private static long cpuNanos(Optional<ProcessHandle> process) {
            return process.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
        }
    }

    private static Histogram addTo(Histogram total, Histogram more) {
        total.add(more);
        return total;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static void drive(PaddockClient c, int session, Options o, Phase phase, String root, byte[] payload,
                              Window w, Counters n) {
        if (o.workload().equals("churn")) {
            churn(o, w, n);
            return;
        }
        Semaphore window = new Semaphore(o.outstanding());
        Random rnd = new Random(session + 1000L * phase.index());
        String prefix = root + "/s" + session + "-" + phase.index() + "-";
        long seq = 0;
        // Open loop: this session's k-th operation is intended at first + k * interval.
        double interval = phase.open() ? 1e9 * o.sessions() / phase.rate() : 0;
        long first = w.start() + (long) (interval * session / o.sessions());
        long lateLimit = w.end() + TimeUnit.SECONDS.toNanos(LATE_LIMIT_S);
        for (long k = 0; ; k++) {
            long intended;
            if (phase.open()) {
                intended = first + (long) (k * interval);
                if (intended >= w.end()) {
                    break;
                }
                if (!awaitSlot(intended, lateLimit, window)) {
                    giveUp(first, interval, k, w, n);
                    break;
                }
            } else {
                if (System.nanoTime() >= w.end()) {
                    break;
                }
                try {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                intended = System.nanoTime();
            }
            long begin = intended;
            CompletableFuture<?> f = switch (o.workload()) {
                case "create" -> c.createAsync(prefix + (seq++), payload, CreateMode.PERSISTENT);
                case "set" -> c.setDataAsync(root + "/k" + rnd.nextInt(o.keys()), payload, -1);
                case "get" -> c.getDataAsync(root + "/k" + rnd.nextInt(o.keys()));
                case "mixed" -> rnd.nextDouble() < o.readRatio()
                        ? c.getDataAsync(root + "/k" + rnd.nextInt(o.keys()))
                        : c.setDataAsync(root + "/k" + rnd.nextInt(o.keys()), payload, -1);
                case "multi" -> {
                    Transaction tx = c.transaction();
                    for (int i = 0; i < o.multiOps(); i++) {
                        tx.setData(root + "/k" + rnd.nextInt(o.keys()), payload, -1);
                    }
                    yield tx.commitAsync();
                }
                default -> throw new IllegalArgumentException("unknown workload " + o.workload());
            };
            boolean open = phase.open();
            f.whenComplete((r, err) -> {
                // The slot is released whatever happens here, or the session would wait for it forever.
                try {
                    long done = System.nanoTime();
                    if (err != null) {
                        n.errors().incrementAndGet();
                    } else if (begin >= w.warmupEnd() && (open ? begin < w.end() : done <= w.end())) {
                        n.recorder().recordValue(Math.max(0, done - begin) / 1000);
                    }
                    n.ops().incrementAndGet();
                } finally {
                    window.release();
                }
            });
        }
        window.acquireUninterruptibly(o.outstanding());
    }

    /**
     * Waits until the intended send time and then for a free slot in the session's window;
     * false when {@code lateLimit} passes first.
     */
    private static boolean awaitSlot(long intended, long lateLimit, Semaphore window) {
        for (long now = System.nanoTime(); now < intended; now = System.nanoTime()) {
            LockSupport.parkNanos(intended - now);
        }
        while (true) {
            long left = lateLimit - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                if (window.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Records the operations from the k-th on that were intended within the measured window but
     * never sent, each with the time it had waited so far (a lower bound of its latency).
     */
    private static void giveUp(long first, double interval, long k, Window w, Counters n) {
        long now = System.nanoTime();
        for (long j = k; ; j++) {
            long intended = first + (long) (j * interval);
            if (intended >= w.end()) {
                return;
            }
            n.late().incrementAndGet();
            if (intended >= w.warmupEnd()) {
                n.recorder().recordValue((now - intended) / 1000);
            }
        }
    }

    /** Session churn: open a session, wait until it is connected, close it; one at a time. */
    private static void churn(Options o, Window w, Counters n) {
        while (System.nanoTime() < w.end()) {
            long begin = System.nanoTime();
            boolean ok;
            try (PaddockClient s = PaddockClient.builder(o.connect()).sessionTimeout(Duration.ofSeconds(30)).build()) {
                ok = s.awaitConnected(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                ok = false;
            }
            long done = System.nanoTime();
            if (!ok) {
                n.errors().incrementAndGet();
            } else if (begin >= w.warmupEnd() && done <= w.end()) {
                n.recorder().recordValue((done - begin) / 1000);
            }
            n.ops().incrementAndGet();
        }
    }
}
