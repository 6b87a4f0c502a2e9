package io.paddock.server.zab.golden;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.ZabConfig;
import io.paddock.server.zab.ZabCore;
import io.paddock.server.zab.Zxid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Simulated servers, their disks and the network between them, driven by script commands (listed
 * in src/test/resources/zab/golden/README.md). The driver part of each server carries out its
 * core's actions in order and checks the persistence contract of {@link Action} on the way
 * (epochs durable before they are claimed, ACKs only for durable txns, deliveries in order and
 * only of txns durable on a quorum, no committed txn ever truncated); a breach fails the script.
 */
final class Ensemble {
    private static final int MAX_DELIVERIES = 10_000;

    private final Map<Long, SimServer> servers = new TreeMap<>();
    private final Network net = new Network();
    /** Every txn any server delivered: zxid to data. */
    private final Map<Long, String> delivered = new HashMap<>();
    private Set<Long> voters = Set.of();
    /** Server to its side of a partition; empty when the network is whole. */
    private final Map<Long, Integer> sides = new HashMap<>();
    /** The link of the last request from each learner, for `reply`. */
    private final Map<Long, Long> requestLinks = new HashMap<>();
    private List<String> out;

    /** Runs one command and returns its output lines (never empty: "ok" when nothing happened). */
    List<String> run(Command c) {
        out = new ArrayList<>();
        switch (c.name()) {
            case "servers" -> servers(c);
            case "start" -> forEach(c.allow(), s -> {
                if (s.up) {
                    throw new IllegalArgumentException("server " + s.id + " is already up");
                }
                s.up = true;
                s.everStarted = true;
                apply(s, s.core.start(), "");
            });
            case "tick" -> tick(c);
            case "deliver" -> deliver(c.allow(), Long.MAX_VALUE);
            case "deliver-one" -> deliver(c.allow(), 1);
            case "drop" -> {
                for (Network.Queued q : net.remove(filter(c.allow("n")), c.longOption("n", Long.MAX_VALUE))) {
                    out.add("dropped " + q.describe());
                }
            }
            case "partition" -> partition(c.allow());
            case "heal" -> sides.clear();
            case "inflight" -> net.pending(filter(c.allow())).forEach(q -> out.add(q.describe()));
            case "persist" -> persist(c);
            case "propose" -> propose(c);
            case "request" -> {
                SimServer s = one(c.allow(), 2);
                apply(s, s.core.step(new Input.SendRequest(bytes(c.args().get(1)))), "");
            }
            case "reply" -> {
                SimServer s = one(c.allow("to"), 2);
                long to = Long.parseLong(required(c, "to"));
                long link = requestLinks.getOrDefault(to, -1L);
                apply(s, s.core.step(new Input.SendReply(to, link, bytes(c.args().get(1)))), "");
            }
            case "snapshot-taken" -> snapshotTaken(c);
            case "peer-down" -> {
                SimServer s = one(c.allow("peer"), 1);
                apply(s, s.core.step(new Input.PeerDown(Long.parseLong(required(c, "peer")))), "");
            }
            case "crash" -> forEach(c.allow(), this::crash);
            case "restart" -> restart(c);
            case "state" -> state(c.allow());
            default -> throw new IllegalArgumentException("unknown command " + c.name());
        }
        if (out.isEmpty()) {
            out.add("ok");
        }
        return out;
    }

    // ------------------------------------------------------------------ commands

    private void servers(Command c) {
        c.allow("voters", "observers", "commitLogCount", "initLimit", "syncLimit", "ping", "electionRetry",
                "finalize");
        List<Long> v = Command.parseIds(required(c, "voters"));
        List<Long> o = Command.parseIds(c.option("observers", ""));
        voters = Set.copyOf(v);
        servers.clear();
        sides.clear();
        net.clear();
        delivered.clear();
        List<Long> all = new ArrayList<>(v);
        all.addAll(o);
        for (long id : all) {
            ZabConfig config = new ZabConfig(id, Set.copyOf(v), Set.copyOf(o), (int) c.longOption("initLimit", 10),
                    (int) c.longOption("syncLimit", 5), (int) c.longOption("ping", 4),
                    (int) c.longOption("electionRetry", 4), (int) c.longOption("finalize", 2),
                    (int) c.longOption("commitLogCount", 3));
            SimServer s = new SimServer(id, config);
            s.core = new ZabCore(config, s.incarnation, -1, -1, 0, 0, List.of());
            servers.put(id, s);
        }
    }

    private void tick(Command c) {
        c.allow("n");
        long n = c.longOption("n", 1);
        List<SimServer> targets = targets(c, true);
        for (long round = 1; round <= n; round++) {
            if (n > 1) {
                int mark = out.size();
                out.add("> tick " + round + "/" + n);
                for (SimServer s : targets) {
                    apply(s, s.core.step(new Input.Tick()), "  ");
                }
                if (out.size() == mark + 1) {
                    out.remove(mark);
                }
            } else {
                for (SimServer s : targets) {
                    apply(s, s.core.step(new Input.Tick()), "");
                }
            }
        }
    }

    private void deliver(Command c, long max) {
        Predicate<Network.Queued> filter = filter(c);
        long count = 0;
        Network.Queued q;
        while (count < max && (q = net.next(filter)) != null) {
            if (++count > MAX_DELIVERIES) {
                throw new IllegalStateException("the network did not quiesce after " + MAX_DELIVERIES + " messages");
            }
            out.add("> " + q.describe());
            SimServer to = servers.get(q.to());
            if (to == null || !to.up) {
                out.add("  (lost: " + q.to() + " is down)");
            } else if (!sides.isEmpty() && !sides.getOrDefault(q.from(), -1).equals(sides.getOrDefault(q.to(), -2))) {
                out.add("  (lost: partitioned)");
            } else {
                apply(to, to.core.step(new Input.Receive(q.from(), q.msg())), "  ");
            }
        }
        if (count == 0 && max == 1) {
            throw new IllegalArgumentException("no message in flight matches " + c.args());
        }
    }

    private void persist(Command c) {
        c.allow("upto");
        for (SimServer s : targets(c, true)) {
            long upTo = c.longOption("upto", s.disk.lastZxid());
            if (upTo > s.disk.lastZxid()) {
                throw new IllegalArgumentException("server " + s.id + " has appended only up to "
                        + Render.zxid(s.disk.lastZxid()));
            }
            s.disk.durable = Math.max(s.disk.durable, upTo);
            apply(s, s.core.step(new Input.Persisted(upTo)), "");
        }
    }

    private void propose(Command c) {
        SimServer s = one(c.allow("n", "data"), 1);
        long n = c.longOption("n", 1);
        for (int i = 0; i < n; i++) {
            long epoch = s.role == ServerState.LEADING ? s.roleEpoch : s.core.currentEpoch();
            long last = s.disk.lastZxid();
            long zxid = Zxid.epoch(last) == epoch ? last + 1 : Zxid.make(epoch, 1);
            String data = c.option("data", null);
            Entry e = new Entry(zxid, data == null ? Render.defaultData(zxid) : bytes(data), null);
            apply(s, s.core.step(new Input.Propose(e)), "");
        }
    }

    private void snapshotTaken(Command c) {
        SimServer s = one(c.allow("zxid"), 1);
        long zxid = c.longOption("zxid", s.applied);
        byte[] data = bytes("snap@" + Render.zxid(zxid));
        if (zxid > s.disk.snapshotZxid) {
            s.disk.snapshotZxid = zxid;
            s.disk.snapshotData = data;
        }
        apply(s, s.core.step(new Input.SnapshotTaken(zxid, data)), "");
    }

    /** {@code partition 1,4,5 2,3}: messages between groups are lost when delivered; unlisted servers are alone. */
    private void partition(Command c) {
        sides.clear();
        for (int g = 0; g < c.args().size(); g++) {
            for (long id : Command.parseIds(c.args().get(g))) {
                server(id);
                sides.put(id, g);
            }
        }
    }

    private void crash(SimServer s) {
        if (!s.up) {
            throw new IllegalArgumentException("server " + s.id + " is not up");
        }
        s.up = false;
        s.core = null;
        List<Entry> lost = s.disk.crash();
        out.add(s.id + ": crashed" + (lost.isEmpty() ? "" : ", lost appends " + Render.entries(lost)));
        for (Network.Queued q : net.remove(q -> q.from() == s.id || q.to() == s.id, Long.MAX_VALUE)) {
            out.add("  lost " + q.describe());
        }
    }

    /** A new core recovered from the server's disk: the disk it had, or one the command describes. */
    private void restart(Command c) {
        c.allow("accepted", "current", "snapshot", "log");
        for (SimServer s : targets(c, false)) {
            if (s.up) {
                crash(s);
            }
            if (!c.options().isEmpty()) {
                s.disk.acceptedEpoch = c.longOption("accepted", -1);
                s.disk.currentEpoch = c.longOption("current", -1);
                s.disk.snapshotZxid = c.longOption("snapshot", 0);
                s.disk.snapshotData = bytes("snap@" + Render.zxid(s.disk.snapshotZxid));
                s.disk.log.clear();
                for (long z : zxids(c.option("log", ""))) {
                    s.disk.log.add(new Entry(z, Render.defaultData(z), null));
                }
                s.disk.durable = s.disk.lastZxid();
            }
            if (s.everStarted) {
                s.incarnation += 10;
            }
            s.everStarted = false;
            long last = s.disk.lastZxid();
            s.core = new ZabCore(s.config, s.incarnation, s.disk.acceptedEpoch, s.disk.currentEpoch,
                    s.disk.snapshotZxid, last, s.disk.recentLog(s.config.commitLogCount()));
            // Start-up replays the whole log into the state machine.
            s.applied = last;
            s.role = ServerState.LOOKING;
            s.serving = false;
            out.add(s.id + ": restarted incarnation=" + s.incarnation + " " + s.disk.describe());
        }
    }

    private void state(Command c) {
        for (SimServer s : targets(c, false)) {
            if (!s.up) {
                out.add(s.id + ": down");
            } else {
                ZabCore k = s.core;
                String line = s.id + ": " + k.state() + " leader=" + k.leader() + " serving=" + k.serving()
                        + " acceptedEpoch=" + k.acceptedEpoch() + " currentEpoch=" + k.currentEpoch()
                        + " lastLogged=" + Render.zxid(k.lastLogged()) + " committed=" + Render.zxid(k.committed());
                if (k.state() == ServerState.LEADING) {
                    line += " learners=" + k.learnerCount() + " syncedFollowers=" + k.syncedFollowers()
                            + " syncedObservers=" + k.syncedObservers() + " pendingSyncs=" + k.pendingSyncs();
                }
                out.add(line);
            }
            out.add("   disk: " + s.disk.describe() + " applied=" + Render.zxid(s.applied));
        }
    }

    // ------------------------------------------------------------------ the driver

    /** Prints and carries out one step's actions in order, checking the persistence contract. */
    private void apply(SimServer s, List<Action> actions, String indent) {
        for (Action a : inPeerOrder(actions)) {
            out.add(indent + s.id + ": " + Render.action(a));
            if (a instanceof Action.RequestReceived r) {
                // A reply goes back through the link its request came by.
                requestLinks.put(r.from(), r.link());
            }
            carryOut(s, a);
        }
        check(s.disk.recoveredAcceptedEpoch() == s.core.acceptedEpoch()
                        && s.disk.recoveredCurrentEpoch() == s.core.currentEpoch(),
                s, "epochs in memory (accepted " + s.core.acceptedEpoch() + ", current " + s.core.currentEpoch()
                        + ") differ from the disk's (" + s.disk.describe() + ")");
    }

    /**
     * The core sends a vote to each voter by iterating its configuration's set of voters, whose order
     * changes from one JVM to the next ({@code Set.copyOf}); a run of consecutive vote sends is put in
     * peer order so that scripts are stable. The sends go to different streams, so nothing else changes.
     */
    private static List<Action> inPeerOrder(List<Action> actions) {
        List<Action> sorted = new ArrayList<>(actions);
        int i = 0;
        while (i < sorted.size()) {
            int k = i;
            while (k < sorted.size() && sorted.get(k) instanceof Action.Send send && send.msg() instanceof Msg.Vote) {
                k++;
            }
            if (k > i + 1) {
                sorted.subList(i, k).sort(java.util.Comparator.comparingLong(a -> ((Action.Send) a).to()));
            }
            i = Math.max(k, i + 1);
        }
        return sorted;
    }

    private void carryOut(SimServer s, Action a) {
        SimDisk d = s.disk;
        if (a instanceof Action.PersistEpochs p) {
            if (p.acceptedEpoch() >= 0) {
                d.acceptedEpoch = p.acceptedEpoch();
            }
            if (p.currentEpoch() >= 0) {
                d.currentEpoch = p.currentEpoch();
            }
        } else if (a instanceof Action.TruncateLog t) {
            for (Entry e : d.log) {
                check(e.zxid() <= t.zxid() || !delivered.containsKey(e.zxid()), s,
                        "truncates committed txn " + Render.zxid(e.zxid()));
            }
            d.log.removeIf(e -> e.zxid() > t.zxid());
            d.durable = Math.min(d.durable, t.zxid());
            s.applied = Math.min(s.applied, t.zxid());
        } else if (a instanceof Action.InstallSnapshot i) {
            for (Entry e : d.log) {
                check(e.zxid() <= i.zxid() || !delivered.containsKey(e.zxid()), s,
                        "drops committed txn " + Render.zxid(e.zxid()) + " installing a snapshot at "
                                + Render.zxid(i.zxid()));
            }
            d.snapshotZxid = i.zxid();
            d.snapshotData = i.data();
            d.log.clear();
            d.durable = i.zxid();
            s.applied = i.zxid();
        } else if (a instanceof Action.Append ap) {
            check(ap.entry().zxid() > d.lastZxid(), s, "appends " + Render.zxid(ap.entry().zxid()) + " after "
                    + Render.zxid(d.lastZxid()));
            d.log.add(ap.entry());
        } else if (a instanceof Action.Deliver dl) {
            onDeliver(s, dl.entries());
        } else if (a instanceof Action.Send send) {
            checkSend(s, send.msg());
            net.send(s.id, send.to(), send.msg());
        } else if (a instanceof Action.RoleChanged r) {
            s.role = r.state();
            s.roleEpoch = r.epoch();
            s.serving = r.serving();
        }
    }

    private void onDeliver(SimServer s, List<Entry> entries) {
        long next = s.applied;
        for (Entry e : entries) {
            Entry logged = s.disk.find(e.zxid());
            check(e.zxid() > next, s, "delivers " + Render.zxid(e.zxid()) + " after " + Render.zxid(next));
            check(logged != null && Arrays.equals(logged.data(), e.data()), s,
                    "delivers " + Render.zxid(e.zxid()) + " which is not in its log");
            int durableOn = 0;
            for (SimServer v : servers.values()) {
                durableOn += voters.contains(v.id) && v.disk.holdsDurably(e) ? 1 : 0;
            }
            check(durableOn > voters.size() / 2, s, "delivers " + Render.zxid(e.zxid()) + " durable on only "
                    + durableOn + " voters");
            String data = new String(e.data(), StandardCharsets.UTF_8);
            String before = delivered.putIfAbsent(e.zxid(), data);
            check(before == null || before.equals(data), s, "delivers " + Render.zxid(e.zxid()) + " as " + data
                    + " where another server delivered " + before);
            next = e.zxid();
        }
        // No gap: every logged txn between the last applied one and this delivery is in it.
        long first = s.applied;
        List<Long> expected = new ArrayList<>();
        for (Entry e : s.disk.log) {
            if (e.zxid() > first && e.zxid() <= next) {
                expected.add(e.zxid());
            }
        }
        check(expected.equals(entries.stream().map(Entry::zxid).toList()), s, "delivers "
                + Render.entries(entries) + " but its log holds " + Render.zxidRanges(expected) + " there");
        s.applied = next;
    }

    private void checkSend(SimServer s, Msg msg) {
        if (!(msg instanceof Msg.Link link)) {
            return;
        }
        SimDisk d = s.disk;
        Msg.Body b = link.body();
        if (b instanceof Msg.LeaderInfo li) {
            check(d.recoveredAcceptedEpoch() >= li.epoch(), s, "sends LEADERINFO " + li.epoch()
                    + " before persisting it as acceptedEpoch");
        } else if (b instanceof Msg.AckEpoch) {
            check(d.recoveredAcceptedEpoch() == s.core.acceptedEpoch(), s,
                    "sends ACKEPOCH before persisting acceptedEpoch " + s.core.acceptedEpoch());
        } else if (b instanceof Msg.AckNewLeader anl) {
            check(d.recoveredCurrentEpoch() == anl.epoch(), s, "sends ACKNEWLEADER " + anl.epoch()
                    + " before persisting it as currentEpoch");
            check(d.durable >= d.lastZxid(), s, "sends ACKNEWLEADER with appends up to "
                    + Render.zxid(d.lastZxid()) + " durable only up to " + Render.zxid(d.durable));
        } else if (b instanceof Msg.Ack ack) {
            check(ack.zxid() <= Math.max(d.durable, d.snapshotZxid), s, "sends ACK " + Render.zxid(ack.zxid())
                    + " durable only up to " + Render.zxid(d.durable));
        }
    }

    private static void check(boolean ok, SimServer s, String what) {
        if (!ok) {
            throw new AssertionError("persistence contract broken: server " + s.id + " " + what);
        }
    }

    // ------------------------------------------------------------------ arguments

    /** Servers named by the arguments, or every server (every up one if {@code upOnly}) when none are. */
    private List<SimServer> targets(Command c, boolean upOnly) {
        List<SimServer> list = new ArrayList<>();
        if (c.args().isEmpty()) {
            for (SimServer s : servers.values()) {
                if (s.up || !upOnly) {
                    list.add(s);
                }
            }
            return list;
        }
        for (long id : c.ids()) {
            SimServer s = server(id);
            if (upOnly && !s.up) {
                throw new IllegalArgumentException("server " + id + " is down");
            }
            list.add(s);
        }
        return list;
    }

    private void forEach(Command c, java.util.function.Consumer<SimServer> f) {
        List<SimServer> list = targets(c, false);
        for (SimServer s : list) {
            f.accept(s);
        }
    }

    /** The up server named by the first argument; the command takes exactly {@code arity} arguments. */
    private SimServer one(Command c, int arity) {
        if (c.args().size() != arity) {
            throw new IllegalArgumentException(c.name() + " takes " + arity + " argument(s), got " + c.args());
        }
        SimServer s = server(Long.parseLong(c.args().get(0)));
        if (!s.up) {
            throw new IllegalArgumentException("server " + s.id + " is down");
        }
        return s;
    }

    private SimServer server(long id) {
        SimServer s = servers.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no server " + id);
        }
        return s;
    }

    private static String required(Command c, String key) {
        String v = c.options().get(key);
        if (v == null) {
            throw new IllegalArgumentException(c.name() + " needs " + key + "=");
        }
        return v;
    }

    /**
     * Selects messages by stream: arguments {@code a->b} (either side may be {@code *}) name pairs,
     * {@code votes} or {@code links} a channel; no pair selects every pair.
     */
    private static Predicate<Network.Queued> filter(Command c) {
        List<long[]> pairs = new ArrayList<>();
        Boolean votes = null;
        for (String a : c.args()) {
            if (a.equals("votes") || a.equals("links")) {
                votes = a.equals("votes");
                continue;
            }
            String[] p = a.split("->");
            if (p.length != 2) {
                throw new IllegalArgumentException("expected from->to, votes or links, got " + a);
            }
            pairs.add(new long[] {p[0].equals("*") ? -1 : Long.parseLong(p[0]),
                    p[1].equals("*") ? -1 : Long.parseLong(p[1])});
        }
        Boolean channel = votes;
        return q -> {
            if (channel != null && q.vote() != channel) {
                return false;
            }
            if (pairs.isEmpty()) {
                return true;
            }
            for (long[] p : pairs) {
                if ((p[0] < 0 || p[0] == q.from()) && (p[1] < 0 || p[1] == q.to())) {
                    return true;
                }
            }
            return false;
        };
    }

    /** {@code 0x100000001..0x100000003,0x200000001}: ranges of consecutive zxids. */
    private static List<Long> zxids(String spec) {
        Set<Long> out = new LinkedHashSet<>();
        if (!spec.isEmpty()) {
            for (String part : spec.split(",")) {
                int dots = part.indexOf("..");
                long from = Command.parseNumber(dots < 0 ? part : part.substring(0, dots));
                long to = dots < 0 ? from : Command.parseNumber(part.substring(dots + 2));
                for (long z = from; z <= to; z++) {
                    out.add(z);
                }
            }
        }
        return List.copyOf(out);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
