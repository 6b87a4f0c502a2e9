package io.paddock.nemesis;

import static org.awaitility.Awaitility.await;

import io.paddock.nemesis.History.Op;
import io.paddock.nemesis.History.Outcome;
import io.paddock.nemesis.Schedule.Fault;
import io.paddock.server.ensemble.Ensemble;
import io.paddock.server.testing.Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * One nemesis run: a topology of namespaces, an ensemble (Paddock or Apache ZooKeeper) in it, the
 * register workload, a seeded schedule of partitions, then the checks on the history and on the
 * healed ensemble. Everything it creates is removed when it ends, also when it fails or the JVM
 * is stopped (a shutdown hook).
 */
final class NemesisRun {
    static final String INITIAL = "init";
    static final int KEYS = 3;
    private static final Duration SERVING = Duration.ofSeconds(60);

    /** What to run: {@code system} is "paddock" or "apache". */
    record Config(String system, long seed, long millis, int servers) {
        Schedule schedule() {
            return Schedule.partitions(seed, millis, servers);
        }
    }

    /**
     * What a run found: the violations (none if it passed) and the figures. {@code refused} counts the
     * CAS a server answered with BadVersion: answered, though not ok; {@code failed} the ops that
     * certainly did not happen (no server to take them, session expired).
     */
    record Report(Config config, List<String> violations, int ok, int refused, int failed, int unknown,
            double faultAvailability, long longestWriteGapMillis, Path history) {
        String summary() {
            return String.format("%s seed %d: %d ops: %d ok, %d CAS refused, %d failed, %d unknown; during faults %.1f%%"
                    + " answered; longest stretch without an acknowledged write %.1f s; %s; history %s", config.system(),
                    config.seed(), ok + refused + failed + unknown, ok, refused, failed, unknown, 100 * faultAvailability,
                    longestWriteGapMillis / 1000.0, violations.isEmpty() ? "no violation"
                            : violations.size() + " violation(s)", history);
        }
    }

    private NemesisRun() {
    }

    static Report run(Config config) throws Exception {
        Preflight.check();
        Schedule schedule = config.schedule();
        System.out.print(schedule.describe(config.system()));
        System.setProperty("zookeeper.sasl.client", "false");
        Path out = Ensemble.repoRoot().resolve("nemesis/target/histories");
        Files.createDirectories(out);
        String name = config.system() + "-" + config.seed();
        // The shutdown hook and the finally block share these: whichever runs first cleans up.
        Topology[] topology = new Topology[1];
        Ensemble[] ensemble = new Ensemble[1];
        Thread hook = new Thread(() -> cleanUp(topology[0], ensemble[0]), "nemesis-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            topology[0] = Topology.create(config.servers());
            ensemble[0] = new Ensemble(config.servers(), extraConfig(config.system()), launch(config.system()), topology[0]);
            try {
                return exercise(config, schedule, topology[0], ensemble[0], out.resolve(name + ".jsonl"));
            } finally {
                for (int i = 1; i <= ensemble[0].size(); i++) {
                    Files.writeString(out.resolve(name + "-server" + i + ".log"), ensemble[0].log(i));
                }
            }
        } finally {
            cleanUp(topology[0], ensemble[0]);
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /** Stops the servers, deletes their directories and removes the namespaces; safe to call twice. */
    private static void cleanUp(Topology topology, Ensemble ensemble) {
        try {
            if (ensemble != null) {
                ensemble.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (topology != null) {
                topology.close();
            }
        }
    }

    private static Report exercise(Config config, Schedule schedule, Topology topology, Ensemble ensemble, Path file)
            throws Exception {
        ensemble.awaitServing(SERVING);
        createRegisters(ensemble.connectString());
        History history = new History();
        List<String> connects = new ArrayList<>();
        // Half the processes keep to one server each (they see its faults); the others list every server.
        for (int p = 0; p < 2 * config.servers(); p++) {
            connects.add(p % 2 == 0 ? ensemble.connectString(p / 2 % config.servers() + 1) : ensemble.connectString());
        }
        long origin = System.nanoTime();
        List<long[]> windows = new ArrayList<>();
        try (Workload workload = new Workload(connects, KEYS, history, config.seed(), origin)) {
            workload.start();
            for (Fault fault : schedule.faults()) {
                sleepUntil(origin, fault.at());
                long start = System.nanoTime() - origin;
                List<Set<Integer>> sides = sides(fault, ensemble, config.servers());
                topology.partition(sides);
                log(origin, fault.kind().name().toLowerCase() + ": " + sides);
                sleepUntil(origin, fault.at() + fault.duration());
                topology.heal();
                windows.add(new long[] {start, System.nanoTime() - origin});
                log(origin, "healed");
            }
            sleepUntil(origin, config.millis());
        }
        long end = System.nanoTime() - origin;
        history.write(file);
        List<Op> ops = history.ops();
        List<String> violations = new ArrayList<>(Checks.check(ops, KEYS));
        ensemble.awaitServing(SERVING);
        violations.addAll(converged(ensemble, ops));
        int ok = 0;
        int refused = 0;
        int failed = 0;
        for (Op op : ops) {
            ok += op.outcome() == Outcome.OK ? 1 : 0;
            refused += op.refused() ? 1 : 0;
            failed += op.outcome() == Outcome.FAIL && !op.refused() ? 1 : 0;
        }
        Report report = new Report(config, violations, ok, refused, failed, ops.size() - ok - refused - failed,
                faultAvailability(ops, windows), longestWriteGap(ops, end) / 1_000_000, file);
        System.out.println("nemesis: " + report.summary());
        violations.forEach(v -> System.out.println("nemesis: VIOLATION " + v));
        return report;
    }

    /**
     * The two sides of a fault. The leader is whoever leads when it starts; without one (an election
     * under way), the pick chooses a server instead.
     */
    private static List<Set<Integer>> sides(Fault fault, Ensemble ensemble, int n) {
        Random pick = new Random(fault.pick());
        int leader = ensemble.leader();
        Set<Integer> alone = new HashSet<>();
        switch (fault.kind()) {
            case ISOLATE_LEADER -> alone.add(leader > 0 ? leader : 1 + pick.nextInt(n));
            case ISOLATE_FOLLOWER -> {
                List<Integer> followers = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    if (i != leader) {
                        followers.add(i);
                    }
                }
                alone.add(followers.get(pick.nextInt(followers.size())));
            }
            case MAJORITY_MINORITY -> {
                List<Integer> all = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    all.add(i);
                }
                java.util.Collections.shuffle(all, pick);
                alone.addAll(all.subList(0, (n - 1) / 2));
            }
            default -> throw new IllegalArgumentException(fault.toString());
        }
        Set<Integer> rest = new HashSet<>();
        for (int i = 1; i <= n; i++) {
            if (!alone.contains(i)) {
                rest.add(i);
            }
        }
        return List.of(alone, rest);
    }

    /** Every server, asked directly once the ensemble serves again, ends with the same registers, and their values come from the history. */
    private static List<String> converged(Ensemble ensemble, List<Op> ops) throws Exception {
        List<String> violations = new ArrayList<>();
        String[][] last = new String[1][];
        try {
            // Followers apply the last commits a moment after the leader: wait (bounded) until all agree.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                String[] views = new String[ensemble.size()];
                for (int i = 1; i <= ensemble.size(); i++) {
                    views[i - 1] = registers(ensemble.connectString(i));
                }
                last[0] = views;
                return Arrays.stream(views).distinct().count() == 1;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            violations.add("the servers did not converge after healing: " + Arrays.toString(last[0]));
            return violations;
        }
        ZooKeeper zk = Clients.connect(ensemble.connectString(1));
        try {
            for (int k = 0; k < KEYS; k++) {
                Stat stat = new Stat();
                String value = new String(zk.getData(Workload.path(k), false, stat), StandardCharsets.UTF_8);
                String wrong = Checks.finalValue(ops, k, value, stat.getVersion());
                if (wrong != null) {
                    violations.add(wrong);
                }
            }
        } finally {
            zk.close();
        }
        return violations;
    }

    /** Each register's value, version and last-modified zxid as one server has them. */
    private static String registers(String connect) throws Exception {
        ZooKeeper zk = Clients.connect(connect);
        try {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < KEYS; k++) {
                Stat stat = new Stat();
                byte[] data = zk.getData(Workload.path(k), false, stat);
                b.append(String.format("r%d=%s v%d 0x%x; ", k, new String(data, StandardCharsets.UTF_8), stat.getVersion(),
                        stat.getMzxid()));
            }
            return b.toString();
        } finally {
            zk.close();
        }
    }

    private static void createRegisters(String connect) {
        await().atMost(SERVING).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            ZooKeeper zk = Clients.connect(connect);
            try {
                create(zk, "/nemesis");
                for (int k = 0; k < KEYS; k++) {
                    create(zk, Workload.path(k));
                }
            } finally {
                zk.close();
            }
            return true;
        });
    }

    private static void create(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        try {
            zk.create(path, INITIAL.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // created by an earlier attempt whose reply was lost
        }
    }

    /** Of the ops invoked while a fault was on, the fraction answered: ok, or a CAS refused. */
    static double faultAvailability(List<Op> ops, List<long[]> windows) {
        int during = 0;
        int ok = 0;
        for (Op op : ops) {
            for (long[] w : windows) {
                if (op.invokedAt() >= w[0] && op.invokedAt() < w[1]) {
                    during++;
                    ok += op.outcome() == Outcome.OK || op.refused() ? 1 : 0;
                    break;
                }
            }
        }
        return during == 0 ? 1 : (double) ok / during;
    }

    /** The longest time (ns) between the start, the acknowledgements of writes, and {@code end}. */
    static long longestWriteGap(List<Op> ops, long end) {
        List<Long> acks = new ArrayList<>();
        acks.add(0L);
        for (Op op : ops) {
            if (op.isWrite() && op.outcome() == Outcome.OK) {
                acks.add(op.returnedAt());
            }
        }
        acks.add(end);
        acks.sort(null);
        long longest = 0;
        for (int i = 1; i < acks.size(); i++) {
            longest = Math.max(longest, acks.get(i) - acks.get(i - 1));
        }
        return longest;
    }

    private static Map<String, String> extraConfig(String system) {
        // Apache's admin server (Jetty) would only add start-up time and threads.
        return system.equals("apache") ? Map.of("admin.enableServer", "false") : Map.of();
    }

    private static Ensemble.Launch launch(String system) {
        Path root = Ensemble.repoRoot();
        List<String> logging = List.of("-Dlogback.configurationFile=" + root.resolve("conf/logback.xml"));
        switch (system) {
            case "paddock" -> {
                Ensemble.Launch paddock = Ensemble.Launch.paddock();
                return new Ensemble.Launch(paddock.mainClass(), paddock.classpath(), logging);
            }
            case "apache" -> {
                Path cp = root.resolve("nemesis/target/apache.classpath");
                try {
                    return new Ensemble.Launch("org.apache.zookeeper.server.quorum.QuorumPeerMain",
                            Files.readString(cp).strip(), logging);
                } catch (IOException e) {
                    throw new UncheckedIOException("Apache ZooKeeper's classpath is written by the build (mvn package): " + cp,
                            e);
                }
            }
            default -> throw new IllegalArgumentException("system is paddock or apache, not " + system);
        }
    }

    /** The schedule's clock: this wait is the fault's timing, not a wait for a condition. */
    private static void sleepUntil(long origin, long millis) throws InterruptedException {
        long left = origin + TimeUnit.MILLISECONDS.toNanos(millis) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static void log(long origin, String what) {
        System.out.printf("nemesis: %6.1fs %s%n", (System.nanoTime() - origin) / 1e9, what);
    }

    /** nemesis/run.sh: {@code --system paddock|apache|both --seed N --seconds S --servers 3|5}. */
    public static void main(String[] args) throws Exception {
        String system = "both";
        long seed = System.currentTimeMillis() % 100_000;
        long seconds = 180;
        int servers = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--system" -> system = args[i + 1];
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--servers" -> servers = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Report> reports = new ArrayList<>();
        for (String s : system.equals("both") ? List.of("paddock", "apache") : List.of(system)) {
            reports.add(run(new Config(s, seed, seconds * 1000, servers)));
        }
        boolean failed = false;
        for (Report r : reports) {
            System.out.println(r.summary());
            failed |= !r.violations().isEmpty();
        }
        System.exit(failed ? 1 : 0);
    }
}
