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
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator on Paddock's client: {@code sessions} sessions, each keeping
 * {@code outstanding} requests in flight, for {@code duration} seconds after a {@code warmup}
 * that is not counted. Workloads: create (unique nodes), set and get (over {@code keys}
 * existing nodes), mixed (a read ratio of get, the rest set), multi (one transaction of
 * {@code multi-ops} setData on random keys per operation), churn (a session opened, connected and
 * closed per operation; {@code outstanding} is then 1: each driver waits for its session).
 * Watch fan-out is {@link FanOut}. Prints a progress line per second,
 * then ops/s and latency percentiles (HdrHistogram) as a table and one JSON line.
 *
 * <p>With {@code --server-pids} (a comma-separated list of the servers' process ids on this
 * machine) it also reports the CPU time those processes used during the measured window
 * ({@code utime + stime} of {@code /proc/<pid>/stat}, as {@link ProcessHandle.Info} reads it),
 * per operation completed in that window; and the load generator's own CPU per operation.
 *
 * <pre>LoadGen --connect 127.0.0.1:2181 --workload create --sessions 16 --outstanding 16
 *         --size 100 --keys 10000 --duration 20 --warmup 5 --read-ratio 0.9
 *         [--server-pids 1234,1235,1236]</pre>
 */
public final class LoadGen {
    private LoadGen() {
    }

    /** Parsed command line. */
    record Options(String connect, String workload, int sessions, int outstanding, int size, int keys,
                   int durationS, int warmupS, double readRatio, List<Long> serverPids, int multiOps) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                m.put(args[i].substring(2), args[i + 1]);
            }
            return new Options(m.getOrDefault("connect", "127.0.0.1:2181"), m.getOrDefault("workload", "create"),
                    Integer.parseInt(m.getOrDefault("sessions", "16")), Integer.parseInt(m.getOrDefault("outstanding", "16")),
                    Integer.parseInt(m.getOrDefault("size", "100")), Integer.parseInt(m.getOrDefault("keys", "10000")),
                    Integer.parseInt(m.getOrDefault("duration", "20")), Integer.parseInt(m.getOrDefault("warmup", "5")),
                    Double.parseDouble(m.getOrDefault("read-ratio", "0.9")), pids(m.getOrDefault("server-pids", "")),
                    Integer.parseInt(m.getOrDefault("multi-ops", "4")));
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

        Recorder recorder = new Recorder(3);
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long startNanos = System.nanoTime();
        long warmupEnd = startNanos + TimeUnit.SECONDS.toNanos(o.warmupS());
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(o.durationS());
        List<Thread> drivers = new ArrayList<>();
        for (int s = 0; s < o.sessions(); s++) {
            PaddockClient c = clients.get(s);
            int session = s;
            Thread t = new Thread(() -> drive(c, session, o, root, payload, end, warmupEnd, recorder, ops, errors),
                    "driver-" + s);
            t.start();
            drivers.add(t);
        }
        Histogram total = null;
        long lastOps = 0;
        // Ticks are counted from the start rather than slept one after the other, so that the
        // ticks at warmupEnd and end bound the window in which CPU time is measured.
        CpuSample atWarmupEnd = o.warmupS() == 0 ? CpuSample.take(o.serverPids(), ops.get()) : null;
        CpuSample atEnd = null;
        for (int tick = 1; System.nanoTime() < end; tick++) {
            long wake = startNanos + TimeUnit.SECONDS.toNanos(tick);
            long wait = wake - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (tick == o.warmupS()) {
                atWarmupEnd = CpuSample.take(o.serverPids(), ops.get());
            } else if (tick == o.warmupS() + o.durationS()) {
                atEnd = CpuSample.take(o.serverPids(), ops.get());
            }
            Histogram interval = recorder.getIntervalHistogram();
            boolean measuring = System.nanoTime() > warmupEnd;
            if (measuring) {
                total = total == null ? interval.copy() : addTo(total, interval);
            }
            long now = ops.get();
            System.err.printf(Locale.ROOT, "%s %,d ops/s  p99 %.2f ms  errors %d%n", measuring ? "measure" : "warmup ",
                    now - lastOps, interval.getValueAtPercentile(99) / 1000.0, errors.get());
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
        double seconds = o.durationS();
        long count = total.getTotalCount();
        double rate = count / seconds;
        System.out.printf(Locale.ROOT, "workload %s sessions %d outstanding %d size %d: %,.0f ops/s, errors %d%n",
                o.workload(), o.sessions(), o.outstanding(), o.size(), rate, errors.get());
        System.out.printf(Locale.ROOT, "latency ms  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                ms(total, 50), ms(total, 90), ms(total, 99), ms(total, 99.9), total.getMaxValue() / 1000.0);
        System.out.printf(Locale.ROOT, "CPU per op in the measured window (%,d ops): servers %.1f us%s, load generator %.1f us%n",
                windowOps, serverUsPerOp, o.serverPids().isEmpty() ? " (no --server-pids)" : "", clientUsPerOp);
        System.out.printf(Locale.ROOT, "{\"workload\":\"%s\",\"sessions\":%d,\"outstanding\":%d,\"size\":%d,\"opsPerSec\":%.0f,"
                        + "\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"errors\":%d,"
                        + "\"windowOps\":%d,\"serverCpuMs\":%.1f,\"serverCpuUsPerOp\":%.2f,\"clientCpuUsPerOp\":%.2f}%n",
                o.workload(), o.sessions(), o.outstanding(), o.size(), rate, ms(total, 50), ms(total, 90), ms(total, 99),
                ms(total, 99.9), total.getMaxValue() / 1000.0, errors.get(), windowOps, serverCpuMs, serverUsPerOp,
                clientUsPerOp);
        for (PaddockClient c : clients) {
            c.close();
        }
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

    private static void drive(PaddockClient c, int session, Options o, String root, byte[] payload, long end,
                              long warmupEnd, Recorder recorder, AtomicLong ops, AtomicLong errors) {
        if (o.workload().equals("churn")) {
            churn(o, end, warmupEnd, recorder, ops, errors);
            return;
        }
        Semaphore window = new Semaphore(o.outstanding());
        Random rnd = new Random(session);
        long seq = 0;
        while (System.nanoTime() < end) {
            try {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long begin = System.nanoTime();
            CompletableFuture<?> f = switch (o.workload()) {
                case "create" -> c.createAsync(root + "/s" + session + "-" + (seq++), payload, CreateMode.PERSISTENT);
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
            f.whenComplete((r, err) -> {
                long done = System.nanoTime();
                if (err != null) {
                    errors.incrementAndGet();
                } else if (begin >= warmupEnd && done <= end) {
                    recorder.recordValue((done - begin) / 1000);
                }
                ops.incrementAndGet();
                window.release();
            });
        }
        window.acquireUninterruptibly(o.outstanding());
    }

    /** Session churn: open a session, wait until it is connected, close it; one at a time. */
    private static void churn(Options o, long end, long warmupEnd, Recorder recorder, AtomicLong ops,
                              AtomicLong errors) {
        while (System.nanoTime() < end) {
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
                errors.incrementAndGet();
            } else if (begin >= warmupEnd && done <= end) {
                recorder.recordValue((done - begin) / 1000);
            }
            ops.incrementAndGet();
        }
    }
}
