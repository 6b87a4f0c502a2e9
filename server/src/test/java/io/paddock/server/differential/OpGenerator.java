package io.paddock.server.differential;

import io.paddock.server.differential.KeySpace.Named;
import io.paddock.server.differential.Operation.Checkpoint;
import io.paddock.server.differential.Operation.ClientOp;
import io.paddock.server.differential.Operation.Reopen;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/** Draws the next operation from the seeded random source. */
final class OpGenerator {
    private static final CreateMode[] MODES = {CreateMode.PERSISTENT, CreateMode.EPHEMERAL,
        CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL, CreateMode.CONTAINER,
        CreateMode.PERSISTENT_WITH_TTL, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL};
    private static final int[] MODE_WEIGHTS = {30, 20, 14, 12, 18, 3, 2};
    private static final int[] BAD_FLAGS = {-1, 7, 42};

    private final KeySpace keys;
    private final Random rnd;
    private final int clients;

    OpGenerator(KeySpace keys, int clients) {
        this.keys = keys;
        this.rnd = keys.random();
        this.clients = clients;
    }

    /** The first operation of every run: the subtree everything else lives in. */
    ClientOp setup() {
        return new ClientOp(0, "create " + KeySpace.ROOT + " PERSISTENT open", ctx -> {
            String p = ctx.zk().create(KeySpace.ROOT, new byte[0], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            ctx.add("created " + p);
        });
    }

    Reopen reopen(int client) {
        return new Reopen(client, keys.credentials());
    }

    Operation next() {
        int c = rnd.nextInt(clients);
        return switch (keys.pick(22, 14, 12, 6, 8, 5, 5, 4, 5, 8, 3, 2, 2, 2, 3, 3, 1, 2, 1)) {
            case 0 -> create(c);
            case 1 -> delete(c);
            case 2 -> setData(c);
            case 3 -> exists(c);
            case 4 -> getData(c);
            case 5 -> getChildren(c);
            case 6 -> getChildren2(c);
            case 7 -> getAcl(c);
            case 8 -> setAcl(c);
            case 9 -> multi(c);
            case 10 -> multiRead(c);
            case 11 -> allChildrenNumber(c);
            case 12 -> ephemerals(c);
            case 13 -> sync(c);
            case 14 -> addWatch(c);
            case 15 -> removeWatches(c);
            case 16 -> whoAmI(c);
            case 17 -> new Checkpoint();
            default -> reopen(c);
        };
    }

    private ClientOp create(int c) {
        CreateMode mode = MODES[keys.pick(MODE_WEIGHTS)];
        String path = keys.createTarget(mode.isSequential());
        byte[] data = keys.data();
        Named<List<ACL>> acl = keys.acl();
        boolean withStat = rnd.nextInt(5) < 3;
        long ttl = rnd.nextInt(4) == 0 ? 0 : 60_000;
        String what = "create " + path + " " + mode + " " + acl.name() + " data=" + KeySpace.show(data);
        if (mode.isTTL()) {
            return new ClientOp(c, what + " ttl=" + ttl, ctx -> {
                Stat stat = new Stat();
                String p = ctx.zk().create(path, data, acl.value(), mode, stat, ttl);
                ctx.created(path, p);
                ctx.add("created " + p).stat(p, stat);
            });
        }
        if (withStat) {
            return new ClientOp(c, what + " (create2)", ctx -> {
                Stat stat = new Stat();
                String p = ctx.zk().create(path, data, acl.value(), mode, stat);
                ctx.created(path, p);
                ctx.add("created " + p).stat(p, stat);
            });
        }
        return new ClientOp(c, what, ctx -> {
            String p = ctx.zk().create(path, data, acl.value(), mode);
            ctx.created(path, p);
            ctx.add("created " + p);
        });
    }

    private ClientOp delete(int c) {
        String path = keys.deleteTarget();
        int version = keys.version(path);
        return new ClientOp(c, "delete " + path + " v=" + version, ctx -> {
            ctx.zk().delete(path, version);
            ctx.gone(path);
            ctx.add("deleted");
        });
    }

    private ClientOp setData(int c) {
        String path = keys.writeTarget();
        byte[] data = keys.data();
        int version = keys.version(path);
        return new ClientOp(c, "setData " + path + " " + KeySpace.show(data) + " v=" + version,
                ctx -> {
                    Stat s = ctx.zk().setData(path, data, version);
                    ctx.add("set").stat(path, s);
                });
    }

    private ClientOp exists(int c) {
        String path = keys.readTarget();
        boolean watch = rnd.nextInt(10) < 6;
        return new ClientOp(c, "exists " + path + " watch=" + watch, ctx -> {
            Stat s = ctx.zk().exists(path, watch);
            if (s == null) {
                ctx.gone(path);
                ctx.add("null");
            } else {
                ctx.add("exists").stat(path, s);
            }
        });
    }

    private ClientOp getData(int c) {
        String path = keys.readTarget();
        boolean watch = rnd.nextInt(10) < 6;
        return new ClientOp(c, "getData " + path + " watch=" + watch, ctx -> {
            Stat s = new Stat();
            byte[] d = ctx.zk().getData(path, watch, s);
            ctx.add("data=" + KeySpace.show(d)).stat(path, s);
        });
    }

    private ClientOp getChildren(int c) {
        String path = keys.readTarget();
        boolean watch = rnd.nextInt(10) < 6;
        return new ClientOp(c, "getChildren " + path + " watch=" + watch,
                ctx -> ctx.add("children=" + sorted(ctx.zk().getChildren(path, watch))));
    }

    private ClientOp getChildren2(int c) {
        String path = keys.readTarget();
        boolean watch = rnd.nextInt(10) < 6;
        return new ClientOp(c, "getChildren2 " + path + " watch=" + watch, ctx -> {
            Stat s = new Stat();
            List<String> children = ctx.zk().getChildren(path, watch, s);
            ctx.add("children=" + sorted(children)).stat(path, s);
        });
    }

    private ClientOp getAcl(int c) {
        String path = keys.readTarget();
        return new ClientOp(c, "getACL " + path, ctx -> {
            Stat s = new Stat();
            List<ACL> acl = ctx.zk().getACL(path, s);
            ctx.add("acl=" + show(acl)).stat(path, s);
        });
    }

    private ClientOp setAcl(int c) {
        String path = keys.aclTarget();
        Named<List<ACL>> acl = keys.acl();
        int version = keys.aversion(path);
        return new ClientOp(c, "setACL " + path + " " + acl.name() + " av=" + version,
                ctx -> {
                    Stat s = ctx.zk().setACL(path, acl.value(), version);
                    ctx.add("aclSet").stat(path, s);
                });
    }

    /** A multi of 1 to 5 writes and checks; often with an op in the middle that is meant to fail. */
    private ClientOp multi(int c) {
        List<MultiPart> parts = new ArrayList<>();
        int n = 1 + rnd.nextInt(5);
        // Half of the multis are built to have a fair chance of succeeding as a whole.
        boolean plausible = rnd.nextBoolean();
        for (int i = 0; i < n; i++) {
            parts.add(plausible ? plausiblePart() : multiPart());
        }
        if (n > 1 && !plausible && rnd.nextInt(10) < 5) {
            String path = keys.node();
            parts.add(1 + rnd.nextInt(n - 1), new MultiPart("check " + path + " v=1000 (fails)", path,
                    () -> Op.check(path, 1000)));
        }
        String what = "multi [" + parts.stream().map(MultiPart::what).collect(Collectors.joining(", ")) + "]";
        return new ClientOp(c, what, ctx -> MultiResults.run(ctx, parts.stream().map(MultiPart::op).toList(),
                parts.stream().map(MultiPart::path).toList()));
    }

    private MultiPart multiPart() {
        switch (keys.pick(35, 20, 25, 20)) {
            case 0: {
                CreateMode mode = MODES[keys.pick(MODE_WEIGHTS)];
                String path = keys.createTarget(mode.isSequential());
                byte[] data = keys.data();
                Named<List<ACL>> acl = keys.acl();
                if (rnd.nextInt(30) == 0) {
                    int flags = BAD_FLAGS[rnd.nextInt(BAD_FLAGS.length)];
                    return new MultiPart("create " + path + " flags=" + flags, path,
                            () -> Op.create(path, data, acl.value(), flags));
                }
                if (mode.isTTL()) {
                    return new MultiPart("create " + path + " " + mode + " ttl=60000", path,
                            () -> Op.create(path, data, acl.value(), mode, 60_000));
                }
                return new MultiPart("create " + path + " " + mode + " " + acl.name() + " " + KeySpace.show(data), path,
                        () -> Op.create(path, data, acl.value(), mode));
            }
            case 1: {
                String path = keys.deleteTarget();
                int version = keys.version(path);
                return new MultiPart("delete " + path + " v=" + version, path, () -> Op.delete(path, version));
            }
            case 2: {
                String path = keys.writeTarget();
                byte[] data = keys.data();
                int version = keys.version(path);
                return new MultiPart("setData " + path + " " + KeySpace.show(data) + " v=" + version, path,
                        () -> Op.setData(path, data, version));
            }
            default: {
                String path = keys.writeTarget();
                int version = keys.version(path);
                return new MultiPart("check " + path + " v=" + version, path, () -> Op.check(path, version));
            }
        }
    }

    /** A sub-operation on nodes seen to exist, with versions that were last seen correct. */
    private MultiPart plausiblePart() {
        String path = keys.known();
        switch (keys.pick(40, 30, 20, 10)) {
            case 0: {
                CreateMode mode = MODES[keys.pick(30, 20, 14, 12, 18)];
                String child = mode.isSequential() ? keys.child(path) + "-" : keys.child(path);
                byte[] data = keys.data();
                return new MultiPart("create " + child + " " + mode + " open " + KeySpace.show(data), child,
                        () -> Op.create(child, data, Ids.OPEN_ACL_UNSAFE, mode));
            }
            case 1: {
                byte[] data = keys.data();
                int version = rnd.nextBoolean() ? -1 : keys.lastVersion(path);
                return new MultiPart("setData " + path + " " + KeySpace.show(data) + " v=" + version, path,
                        () -> Op.setData(path, data, version));
            }
            case 2: {
                int version = keys.lastVersion(path);
                return new MultiPart("check " + path + " v=" + version, path, () -> Op.check(path, version));
            }
            default: {
                String target = path.equals(KeySpace.ROOT) ? keys.node() : path;
                return new MultiPart("delete " + target + " v=-1", target, () -> Op.delete(target, -1));
            }
        }
    }

    private ClientOp multiRead(int c) {
        List<MultiPart> parts = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String path = keys.readTarget();
            parts.add(rnd.nextBoolean() ? new MultiPart("getData " + path, path, () -> Op.getData(path))
                    : new MultiPart("getChildren " + path, path, () -> Op.getChildren(path)));
        }
        if (rnd.nextInt(20) == 0) {
            // A write among reads: the client refuses to mix the two kinds.
            parts.add(new MultiPart("check /d v=-1", KeySpace.ROOT, () -> Op.check(KeySpace.ROOT, -1)));
        }
        String what = "multiRead [" + parts.stream().map(MultiPart::what).collect(Collectors.joining(", ")) + "]";
        return new ClientOp(c, what, ctx -> MultiResults.run(ctx, parts.stream().map(MultiPart::op).toList(),
                parts.stream().map(MultiPart::path).toList()));
    }

    private ClientOp allChildrenNumber(int c) {
        String path = keys.readTarget();
        return new ClientOp(c, "getAllChildrenNumber " + path,
                ctx -> ctx.add("count=" + ctx.zk().getAllChildrenNumber(path)));
    }

    private ClientOp ephemerals(int c) {
        String[] prefixes = {null, "/", "", KeySpace.ROOT, "/d/a", "/d/a/", "/d/b/c", "/zz"};
        String prefix = prefixes[rnd.nextInt(prefixes.length)];
        if (prefix == null) {
            return new ClientOp(c, "getEphemerals", ctx -> ctx.add("ephemerals=" + sorted(ctx.zk().getEphemerals())));
        }
        return new ClientOp(c, "getEphemerals \"" + prefix + "\"",
                ctx -> ctx.add("ephemerals=" + sorted(ctx.zk().getEphemerals(prefix))));
    }

    private ClientOp sync(int c) {
        String path = rnd.nextBoolean() ? keys.node() : keys.readTarget();
        return new ClientOp(c, "sync " + path, ctx -> {
            ctx.zk().sync(path);
            ctx.add("synced");
        });
    }

    private ClientOp addWatch(int c) {
        String path = rnd.nextInt(5) == 0 ? KeySpace.ROOT : keys.readTarget();
        AddWatchMode mode = rnd.nextBoolean() ? AddWatchMode.PERSISTENT : AddWatchMode.PERSISTENT_RECURSIVE;
        return new ClientOp(c, "addWatch " + path + " " + mode, ctx -> {
            ctx.zk().addWatch(path, mode);
            ctx.add("added");
        });
    }

    private ClientOp removeWatches(int c) {
        String path = rnd.nextInt(5) == 0 ? KeySpace.ROOT : keys.readTarget();
        WatcherType type = WatcherType.values()[rnd.nextInt(WatcherType.values().length)];
        boolean local = rnd.nextInt(10) == 0;
        if (rnd.nextBoolean()) {
            return new ClientOp(c, "removeAllWatches " + path + " " + type + " local=" + local, ctx -> {
                ctx.zk().removeAllWatches(path, type, local);
                ctx.add("removed");
            });
        }
        return new ClientOp(c, "removeWatches(default watcher) " + path + " " + type + " local=" + local, ctx -> {
            ctx.zk().removeWatches(path, ctx.watcher(), type, local);
            ctx.add("removed");
        });
    }

    private ClientOp whoAmI(int c) {
        return new ClientOp(c, "whoAmI", ctx -> ctx.add("ids=" + sorted(ctx.zk().whoAmI().stream()
                .map(i -> i.getAuthScheme() + ":" + i.getUser()).toList())));
    }

    static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }

    static String show(List<ACL> acl) {
        return acl.stream().map(a -> a.getPerms() + ":" + a.getId().getScheme() + ":" + a.getId().getId())
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** One sub-operation of a multi: its description, the path it names, and how to build it. */
    record MultiPart(String what, String path, java.util.function.Supplier<Op> factory) {
        Op op() {
            return factory.get();
        }
    }
}
