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
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * One nemesis run: a topology of namespaces, an ensemble (Paddock or Apache ZooKeeper) in it, the
 * workloads (registers with watches, a set of sequential creates, a lock), a seeded schedule of one
 * family of faults (partitions, kills, pauses, client cuts, clocks, disks, or all mixed), then the
 * checks on the history and on the healed ensemble. Everything it creates is removed when it ends,
 * also when it fails or the JVM
 * is stopped (a shutdown hook).
 */
final class NemesisRun {
    static final String INITIAL = "init";
    static final int KEYS = 3;
    private static final Duration SERVING = Duration.ofSeconds(60);

    /** What to run: {@code system} is "paddock" or "apache". */
    record Config(String system, Schedule.Family family, long seed, long millis, int servers) {
        Schedule schedule() {
            return Schedule.of(family, seed, millis, servers);
        }
    }

    /**
     * What a run found: the violations (none if it passed) and the figures. {@code ok}, {@code refused},
     * {@code failed} and {@code unknown} count the register workload's ops but its watch reads:
     * {@code refused} the CAS a server answered with BadVersion (answered, though not ok), {@code failed}
     * the ops that certainly did not happen (no server to take them, session expired). {@code expired}
     * counts the sessions told they expired, {@code expiredSoon} those of them told less than a session
     * timeout after an op of theirs succeeded. {@code workloads}: the other workloads' outcomes (set
     * creates, lock steps, watch reads); {@code watchEvents} the watch events delivered; {@code verdicts}
     * each checker's count of violations, by name.
     */
    record Report(Config config, List<String> violations, int ok, int refused, int failed, int unknown,
            double faultAvailability, long longestWriteGapMillis, int expired, int expiredSoon, List<Figures> workloads,
            int watchEvents, Map<String, Integer> verdicts, Path history) {
        String summary() {
            StringBuilder others = new StringBuilder();
            workloads.forEach(w -> others.append("; ").append(w.workload()).append(" ").append(w.cell()));
            return String.format("%s %s seed %d: %d ops: %d ok, %d CAS refused, %d failed, %d unknown%s (ok / failed /"
                    + " unknown), %d watch events; during faults %.1f%% answered; longest stretch without an acknowledged"
                    + " write %.1f s; %d sessions told expired (%d within a timeout of a success); checks: %s; %s; history %s",
                    config.system(), config.family().label(), config.seed(), ops(), ok, refused, failed, unknown, others,
                    watchEvents, 100 * faultAvailability, longestWriteGapMillis / 1000.0, expired, expiredSoon, checks(),
                    violations.isEmpty() ? "no violation" : violations.size() + " violation(s)", history);
        }

        int ops() {
            return ok + refused + failed + unknown;
        }

        /** "all 11 pass", or the checkers that failed with their counts of violations. */
        String checks() {
            StringBuilder failing = new StringBuilder();
            verdicts.forEach((name, n) -> failing.append(n == 0 ? "" : (failing.isEmpty() ? "" : ", ") + name + " (" + n + ")"));
            return failing.isEmpty() ? "all " + verdicts.size() + " pass" : failing + " failed";
        }

        /** One row of the table main prints at the end (and docs/reliability.md shows). */
        String row() {
            StringBuilder others = new StringBuilder();
            workloads.forEach(w -> others.append(" ").append(w.cell()).append(" |"));
            return String.format("| %s | %s | %d | %d | %d | %d | %d | %.1f %% | %.1f s | %d (%d) |%s %d | %s | %s |",
                    config.family().label() + ", seed " + config.seed() + ", " + config.millis() / 1000 + " s, "
                            + config.servers() + " servers", config.system(), ops(), ok, refused, failed, unknown,
                    100 * faultAvailability, longestWriteGapMillis / 1000.0, expired, expiredSoon, others, watchEvents,
                    checks(), violations.isEmpty() ? "none" : violations.size() + "");
        }

        /** The header of {@link #row}'s table. */
        static String header() {
            return "| run | system | register ops | ok | CAS refused | failed | unknown | answered during faults"
                    + " | longest stretch without an acknowledged write | sessions told expired (within a timeout of a success)"
                    + " | set creates ok / failed / unknown | lock steps ok / failed / unknown"
                    + " | watch reads ok / failed / unknown | watch events | checks | violations |";
        }
    }

    /** One workload's ops by outcome. */
    record Figures(String workload, int ok, int failed, int unknown) {
        static Figures of(String workload, List<Outcome> outcomes) {
            int ok = (int) outcomes.stream().filter(o -> o == Outcome.OK).count();
            int failed = (int) outcomes.stream().filter(o -> o == Outcome.FAIL).count();
            return new Figures(workload, ok, failed, outcomes.size() - ok - failed);
        }

        String cell() {
            return ok + " / " + failed + " / " + unknown;
        }
    }

    private NemesisRun() {
    }

    static Report run(Config config) throws Exception {
        Preflight.check(config.family());
        Schedule schedule = config.schedule();
        System.out.print(schedule.describe(config.system()));
        System.setProperty("zookeeper.sasl.client", "false");
        Path out = Ensemble.repoRoot().resolve("nemesis/target/histories");
        Files.createDirectories(out);
        String name = config.system() + "-" + config.family().label() + "-" + config.seed();
        // The shutdown hook and the finally block share these: whichever runs first cleans up.
        Hosts[] hosts = new Hosts[1];
        Ensemble[] ensemble = new Ensemble[1];
        Thread hook = new Thread(() -> cleanUp(hosts[0], ensemble[0]), "nemesis-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Disks.removeLeftovers();
            List<Schedule.Family> needs = config.family().kinds().stream().map(k -> k.family).toList();
            // Hosts before the topology, so that cleanUp sees the clocks and disks if the topology fails.
            hosts[0] = new Hosts(null, needs.contains(Schedule.Family.CLOCKS) ? new Clocks() : null,
                    needs.contains(Schedule.Family.DISKS) ? new Disks() : null);
            hosts[0] = new Hosts(Topology.create(config.servers()), hosts[0].clocks(), hosts[0].disks());
            ensemble[0] = new Ensemble(config.servers(), extraConfig(config), launch(config.system()), hosts[0]);
            try {
                return exercise(config, schedule, hosts[0], ensemble[0], out.resolve(name + ".jsonl"));
            } finally {
                for (int i = 1; i <= ensemble[0].size(); i++) {
                    Files.writeString(out.resolve(name + "-server" + i + ".log"), ensemble[0].log(i));
                }
            }
        } finally {
            cleanUp(hosts[0], ensemble[0]);
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /**
     * Stops the servers, unmounts their disks, deletes their directories and clock files, and removes
     * the namespaces; safe to call twice.
     */
    private static synchronized void cleanUp(Hosts hosts, Ensemble ensemble) {
        try {
            if (ensemble != null) {
                for (int i = 1; i <= ensemble.size(); i++) {
                    ensemble.kill(i);
                }
            }
            if (hosts != null && hosts.disks() != null) {
                hosts.disks().close();
            }
            if (ensemble != null) {
                ensemble.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (hosts != null && hosts.clocks() != null) {
                hosts.clocks().close();
            }
            if (hosts != null && hosts.topology() != null) {
                hosts.topology().close();
            }
        }
    }

    private static Report exercise(Config config, Schedule schedule, Hosts hosts, Ensemble ensemble, Path file)
            throws Exception {
        ensemble.awaitServing(SERVING);
        createRegisters(ensemble.connectString());
        History history = new History();
        long origin = System.nanoTime();
        List<long[]> windows = new ArrayList<>();
        int n = config.servers();
        Workload workload = new Workload(connects(ensemble, 2 * n), KEYS, history, config.seed(), origin);
        // Process numbers stay apart from the register processes' (0 to 2n-1): expiries and session ephemerals name them.
        List<ClientProcesses> others = List.of(new SetWorkload(connects(ensemble, n), 100, history, config.seed(), origin),
                new LockWorkload(connects(ensemble, n), 200, history, config.seed(), origin));
        try {
            workload.start();
            others.forEach(ClientProcesses::start);
            for (Fault fault : schedule.faults()) {
                sleepUntil(origin, fault.at());
                long start = System.nanoTime() - origin;
                Injected injected = inject(fault, ensemble, hosts);
                log(origin, fault.kind().label() + ": " + injected.what());
                sleepUntil(origin, fault.at() + fault.duration());
                injected.undo().run();
                windows.add(new long[] {start, System.nanoTime() - origin});
                log(origin, "healed");
            }
            sleepUntil(origin, config.millis());
            workload.close();
            others.forEach(ClientProcesses::close);
            long end = System.nanoTime() - origin;
            ensemble.awaitServing(SERVING);
            history.members(finalStates(ensemble));
            history.write(file);
            List<Op> ops = history.ops();
            List<History.Expiry> expiries = history.expiries();
            Map<String, List<String>> verdicts = new LinkedHashMap<>(Checks.all(history, KEYS));
            verdicts.put("live sessions refused", Checks.liveSessionsRefused(expiries, ephemeralOwners(ensemble, expiries)));
            List<String> violations = new ArrayList<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            verdicts.forEach((name, found) -> {
                violations.addAll(found);
                counts.put(name, found.size());
            });
            List<Op> registerOps = ops.stream().filter(op -> op.f() != History.F.WATCH_READ).toList();
            int ok = 0;
            int refused = 0;
            int failed = 0;
            for (Op op : registerOps) {
                ok += op.outcome() == Outcome.OK ? 1 : 0;
                refused += op.refused() ? 1 : 0;
                failed += op.outcome() == Outcome.FAIL && !op.refused() ? 1 : 0;
            }
            List<Figures> figures = List.of(
                    Figures.of("set", history.creates().stream().map(History.Create::outcome).toList()),
                    Figures.of("lock", history.lockSteps().stream().map(History.LockStep::outcome).toList()),
                    Figures.of("watch", ops.stream().filter(op -> op.f() == History.F.WATCH_READ).map(Op::outcome).toList()));
            long told = expiries.stream().mapToLong(History.Expiry::session).filter(id -> id != 0).distinct().count();
            Report report = new Report(config, violations, ok, refused, failed, registerOps.size() - ok - refused - failed,
                    faultAvailability(ops, windows), longestWriteGap(ops, end) / 1_000_000, (int) told,
                    Checks.expiredSoonAfterSuccess(ops, expiries, TimeUnit.MILLISECONDS.toNanos(Workload.SESSION_TIMEOUT_MS)),
                    figures, history.watchEvents().size(), counts, file);
            System.out.println("nemesis: " + report.summary());
            violations.forEach(v -> System.out.println("nemesis: VIOLATION " + v));
            return report;
        } finally {
            workload.close();
            others.forEach(ClientProcesses::close);
            workload.closeTold();
        }
    }

    /** {@code count} connect strings: every other one names a single server (they see its faults), the rest list all. */
    private static List<String> connects(Ensemble ensemble, int count) {
        List<String> connects = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            connects.add(p % 2 == 0 ? ensemble.connectString(p / 2 % ensemble.size() + 1) : ensemble.connectString());
        }
        return connects;
    }

    /** What a fault did (for the log) and how to undo it. */
    private record Injected(String what, Undo undo) {
    }

    private interface Undo {
        void run() throws Exception;
    }

    /**
     * Starts a fault. The leader is whoever leads when it starts; without one (an election under way),
     * the pick chooses a server instead. The picks are drawn in the same order as in the partition
     * family's first version, so its seeds replay.
     */
    private static Injected inject(Fault fault, Ensemble ensemble, Hosts hosts) throws Exception {
        Topology topology = hosts.topology();
        int n = ensemble.size();
        Random pick = new Random(fault.pick());
        int leader = ensemble.leader();
        switch (fault.kind()) {
            case ISOLATE_LEADER, ISOLATE_FOLLOWER, MAJORITY_MINORITY -> {
                Set<Integer> alone = new TreeSet<>(switch (fault.kind()) {
                    case ISOLATE_LEADER -> List.of(leaderOr(leader, pick, n));
                    case ISOLATE_FOLLOWER -> List.of(other(leader, pick, n));
                    default -> shuffled(pick, n).subList(0, (n - 1) / 2);
                });
                Set<Integer> rest = new TreeSet<>();
                for (int i = 1; i <= n; i++) {
                    if (!alone.contains(i)) {
                        rest.add(i);
                    }
                }
                topology.partition(List.of(alone, rest));
                return new Injected(alone + " | " + rest, topology::heal);
            }
            case KILL_LEADER, KILL_FOLLOWER, KILL_MAJORITY, KILL_ALL -> {
                List<Integer> victims = switch (fault.kind()) {
                    case KILL_LEADER -> List.of(leaderOr(leader, pick, n));
                    case KILL_FOLLOWER -> List.of(other(leader, pick, n));
                    case KILL_MAJORITY -> shuffled(pick, n).subList(0, n / 2 + 1);
                    default -> shuffled(pick, n);
                };
                for (int i : victims) {
                    ensemble.kill(i);
                }
                // Restarted on the same data directory: what it acknowledged must still be there.
                return new Injected("killed " + victims, () -> {
                    for (int i : victims) {
                        ensemble.start(i);
                    }
                });
            }
            case PAUSE_LEADER, PAUSE_FOLLOWER, PAUSE_LEADER_AND_FOLLOWER -> {
                int first = fault.kind() == Schedule.Kind.PAUSE_FOLLOWER ? other(leader, pick, n) : leaderOr(leader, pick, n);
                List<Integer> frozen = fault.kind() == Schedule.Kind.PAUSE_LEADER_AND_FOLLOWER
                        ? List.of(first, other(first, pick, n)) : List.of(first);
                for (int i : frozen) {
                    ensemble.pause(i);
                }
                return new Injected("stopped " + frozen, () -> {
                    for (int i : frozen) {
                        ensemble.resume(i);
                    }
                });
            }
            case CUT_CLIENTS -> {
                int server = 1 + pick.nextInt(n);
                topology.cutClients(server);
                return new Injected("clients cut from " + server, topology::heal);
            }
            case BRIDGE -> {
                List<Integer> order = shuffled(pick, n);
                int bridge = order.get(0);
                List<Integer> left = order.subList(1, 1 + (n - 1) / 2);
                List<Integer> right = order.subList(1 + (n - 1) / 2, n);
                List<int[]> pairs = new ArrayList<>();
                for (int a : left) {
                    for (int b : right) {
                        pairs.add(new int[] {a, b});
                    }
                }
                topology.cut(pairs);
                return new Injected(new TreeSet<>(left) + " | " + new TreeSet<>(right) + ", " + bridge + " with both"
                        + (bridge == leader ? " (the leader)" : ""), topology::heal);
            }
            case CLOCK_STEP_FORWARD, CLOCK_STEP_BACK, CLOCK_FAST, CLOCK_SLOW -> {
                int server = 1 + pick.nextInt(n);
                Clocks clocks = hosts.clocks();
                String what = switch (fault.kind()) {
                    case CLOCK_STEP_FORWARD, CLOCK_STEP_BACK -> {
                        long seconds = 60L * (1 + pick.nextInt(600)) * (fault.kind() == Schedule.Kind.CLOCK_STEP_BACK ? -1 : 1);
                        clocks.step(server, seconds);
                        yield String.format("clock of %d stepped %+d min", server, seconds / 60);
                    }
                    default -> {
                        double rate = fault.kind() == Schedule.Kind.CLOCK_FAST ? 1.5 + 2.5 * pick.nextDouble()
                                : 0.25 + 0.5 * pick.nextDouble();
                        clocks.drift(server, rate);
                        yield String.format("clock of %d runs at x%.2f", server, rate);
                    }
                };
                return new Injected(what + (server == leader ? " (the leader)" : ""), () -> clocks.reset(server));
            }
            case FILL_DISK_LEADER, FILL_DISK_FOLLOWER -> {
                int server = fault.kind() == Schedule.Kind.FILL_DISK_LEADER ? leaderOr(leader, pick, n) : other(leader, pick, n);
                long bytes = hosts.disks().fill(server);
                return new Injected(String.format("disk of %d full (%d KiB filled)", server, bytes / 1024), () -> {
                    hosts.disks().empty(server);
                    restartIfOut(ensemble, server);
                });
            }
            default -> throw new IllegalArgumentException(fault.toString());
        }
    }

    /**
     * What an operator does once the disk has room again: a server that exited (Apache ZooKeeper
     * exits when it cannot write its log) or that still does not serve a few seconds later (Paddock
     * stays up but leaves the ensemble until restarted, as its log says) is started again.
     */
    private static void restartIfOut(Ensemble ensemble, int server) throws IOException, InterruptedException {
        boolean serving = ensemble.alive(server);
        if (serving) {
            try {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !ensemble.mode(server).isEmpty());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                serving = false;
            }
        }
        if (!serving) {
            System.out.println("nemesis: server " + server + (ensemble.alive(server) ? " does not serve" : " exited")
                    + "; starting it again. Its log ends:\n    " + lastLines(ensemble.tail(server), 4));
            ensemble.kill(server);
            ensemble.start(server);
        }
    }

    private static String lastLines(String log, int lines) {
        String[] all = log.strip().split("\n");
        return String.join("\n    ", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }

    private static int leaderOr(int leader, Random pick, int n) {
        return leader > 0 ? leader : 1 + pick.nextInt(n);
    }

    /** A server other than {@code not} (a follower, when {@code not} is the leader). */
    private static int other(int not, Random pick, int n) {
        List<Integer> others = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (i != not) {
                others.add(i);
            }
        }
        return others.get(pick.nextInt(others.size()));
    }

    private static List<Integer> shuffled(Random pick, int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(i);
        }
        Collections.shuffle(all, pick);
        return all;
    }

    /**
     * The sessions owning an ephemeral on the healed servers, once every server agrees and none of the
     * sessions told they expired owns one any more, or, if that does not come within a bound (a few
     * session timeouts: time for any server to expire a session whose client went quiet), as they stand.
     */
    private static Set<Long> ephemeralOwners(Ensemble ensemble, List<History.Expiry> expiries) {
        Set<Long> told = new HashSet<>();
        expiries.forEach(x -> told.add(x.session()));
        List<Set<Long>> last = new ArrayList<>(List.of(Set.of()));
        try {
            await().atMost(Duration.ofMillis(5L * Workload.SESSION_TIMEOUT_MS)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        Set<Long> union = new HashSet<>();
                        Set<Set<Long>> views = new HashSet<>();
                        for (int i = 1; i <= ensemble.size(); i++) {
                            Set<Long> owners = owners(ensemble.connectString(i));
                            union.addAll(owners);
                            views.add(owners);
                        }
                        last.set(0, union);
                        return views.size() == 1 && union.stream().noneMatch(told::contains);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Reported by the checker, with the sessions still owning an ephemeral.
        }
        return last.get(0);
    }

    private static Set<Long> owners(String connect) throws Exception {
        ZooKeeper zk = Clients.connect(connect);
        try {
            Set<Long> owners = new HashSet<>();
            for (String child : zk.getChildren(Workload.SESSIONS, false)) {
                Stat stat = zk.exists(Workload.SESSIONS + "/" + child, false);
                if (stat != null) {
                    owners.add(stat.getEphemeralOwner());
                }
            }
            return owners;
        } finally {
            zk.close();
        }
    }

    /**
     * Every server's final state, asked directly once the ensemble serves again: once they agree (followers
     * apply the last commits a moment after the leader, so the wait is bounded), or as they last stood,
     * for the checkers to compare.
     */
    private static List<History.Member> finalStates(Ensemble ensemble) {
        List<List<History.Member>> last = new ArrayList<>(List.of(List.of()));
        Map<Integer, String> unread = new TreeMap<>();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<History.Member> members = new ArrayList<>();
                for (int i = 1; i <= ensemble.size(); i++) {
                    try {
                        members.add(member(i, ensemble.connectString(i)));
                        unread.remove(i);
                    } catch (Exception e) {
                        unread.put(i, e.toString());
                        return false;
                    }
                }
                last.set(0, members);
                return Checks.membersAgree(members).isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // The checker reports how they differ; a server that could not be read is named here.
            unread.forEach((i, why) -> System.out.println("nemesis: server " + i + " could not be read after healing: " + why));
        }
        return last.get(0);
    }

    /** Server {@code server}'s registers, set and lock counter. */
    private static History.Member member(int server, String connect) throws Exception {
        ZooKeeper zk = Clients.connect(connect);
        try {
            Map<Integer, History.Node> registers = new TreeMap<>();
            for (int k = 0; k < KEYS; k++) {
                registers.put(k, node(zk, Workload.path(k)));
            }
            // Pipelined: the set holds a few hundred children.
            Map<String, CompletableFuture<String>> reads = new TreeMap<>();
            for (String child : zk.getChildren(SetWorkload.SET, false)) {
                CompletableFuture<String> data = new CompletableFuture<>();
                zk.getData(SetWorkload.SET + "/" + child, false, (rc, p, ctx, bytes, stat) -> {
                    if (rc == KeeperException.Code.OK.intValue()) {
                        data.complete(new String(bytes, StandardCharsets.UTF_8));
                    } else {
                        data.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), p));
                    }
                }, null);
                reads.put(child, data);
            }
            Map<String, String> set = new TreeMap<>();
            for (Map.Entry<String, CompletableFuture<String>> read : reads.entrySet()) {
                set.put(read.getKey(), read.getValue().get(30, TimeUnit.SECONDS));
            }
            return new History.Member(server, registers, set, node(zk, LockWorkload.COUNTER));
        } finally {
            zk.close();
        }
    }

    private static History.Node node(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        byte[] data = zk.getData(path, false, stat);
        return new History.Node(new String(data, StandardCharsets.UTF_8), stat.getVersion(), stat.getMzxid());
    }

    private static void createRegisters(String connect) {
        await().atMost(SERVING).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            ZooKeeper zk = Clients.connect(connect);
            try {
                create(zk, "/nemesis");
                create(zk, Workload.SESSIONS);
                for (int k = 0; k < KEYS; k++) {
                    create(zk, Workload.path(k));
                }
                create(zk, SetWorkload.SET);
                create(zk, LockWorkload.LOCK);
                create(zk, LockWorkload.COUNTER);
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

    private static Map<String, String> extraConfig(Config config) {
        Map<String, String> extra = new java.util.TreeMap<>();
        if (config.system().equals("apache")) {
            // Apache's admin server (Jetty) would only add start-up time and threads.
            extra.put("admin.enableServer", "false");
        }
        if (config.family().kinds().stream().anyMatch(k -> k.family == Schedule.Family.DISKS)) {
            extra.putAll(Disks.CONFIG);
        }
        return extra;
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

    /**
     * nemesis/run.sh: {@code --family partitions|kills|pauses|client-cuts|clocks|disks|mixed|all --system paddock|apache|both
     * --seed N --seconds S --servers 3|5}. Prints a table of the figures, by family and system, at the end.
     */
    public static void main(String[] args) throws Exception {
        String system = "both";
        String family = "partitions";
        long seed = System.currentTimeMillis() % 100_000;
        long seconds = 180;
        int servers = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--system" -> system = args[i + 1];
                case "--family" -> family = args[i + 1];
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--servers" -> servers = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Schedule.Family> families = family.equals("all") ? List.of(Schedule.Family.values())
                : List.of(Schedule.Family.of(family));
        List<Report> reports = new ArrayList<>();
        for (Schedule.Family f : families) {
            for (String s : system.equals("both") ? List.of("paddock", "apache") : List.of(system)) {
                reports.add(run(new Config(s, f, seed, seconds * 1000, servers)));
            }
        }
        boolean failed = false;
        System.out.println(Report.header());
        for (Report r : reports) {
            System.out.println(r.row());
            failed |= !r.violations().isEmpty();
        }
        for (Report r : reports) {
            if (!r.violations().isEmpty()) {
                System.out.println(r.summary() + "\n  replay: " + r.config().schedule().replay(r.config().system()));
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
