package io.paddock.server.storage;

import io.paddock.protocol.Acls;
import io.paddock.protocol.OpCode;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.Node;
import io.paddock.server.txn.Notification;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Builds txn streams and compares trees for the storage tests. */
final class StorageFixture {
    private StorageFixture() {
    }

    /** A deterministic stream of valid txns: sessions, creates of every kind, updates, deletes. */
    static List<TxnCodec.Entry> txns(long seed, int count) {
        Random rnd = new Random(seed);
        StateMachine sm = new StateMachine(true);
        List<TxnCodec.Entry> out = new ArrayList<>();
        List<Long> sessions = new ArrayList<>();
        List<Notification> ignore = new ArrayList<>();
        long zxid = 0;
        for (int i = 0; i < count; i++) {
            TxnHeader h;
            Txn txn;
            List<String> paths = new ArrayList<>(List.copyOf(allPaths(sm.tree())));
            int kind = rnd.nextInt(10);
            long session = sessions.isEmpty() ? 0 : sessions.get(rnd.nextInt(sessions.size()));
            if (kind == 0 || sessions.isEmpty()) {
                long id = 0x100000000L + i;
                byte[] pw = new byte[16];
                rnd.nextBytes(pw);
                txn = new Txn.CreateSession(4000 + rnd.nextInt(4000), pw);
                sessions.add(id);
                session = id;
            } else if (kind == 1 && sessions.size() > 2) {
                txn = new Txn.CloseSession(List.copyOf(sm.tree().ephemeralsOf(session)));
                sessions.remove(session);
            } else if (kind <= 5 || paths.size() < 6) {
                String parent = paths.get(rnd.nextInt(paths.size()));
                Node p = sm.tree().get(parent);
                if (p.ephemeralOwner() != 0 && p.ephemeralOwner() != Long.MIN_VALUE && (p.ephemeralOwner() >>> 56) != 0xFF) {
                    parent = "/";
                }
                String path = (parent.equals("/") ? "" : parent) + "/n" + i;
                long owner = switch (rnd.nextInt(5)) {
                    case 0 -> session;
                    case 1 -> Long.MIN_VALUE;
                    case 2 -> 0xFF00000000000000L | (1 + rnd.nextInt(100000));
                    default -> 0;
                };
                byte[] data = rnd.nextInt(8) == 0 ? null : new byte[rnd.nextInt(100)];
                if (data != null) {
                    rnd.nextBytes(data);
                }
                txn = new Txn.Create(path, data, Acls.OPEN_ACL_UNSAFE, owner, OpCode.CREATE);
            } else if (kind <= 7) {
                String path = paths.get(rnd.nextInt(paths.size()));
                byte[] data = new byte[rnd.nextInt(50)];
                rnd.nextBytes(data);
                txn = new Txn.SetData(path, data);
            } else if (kind == 8) {
                String path = paths.get(rnd.nextInt(paths.size()));
                txn = new Txn.SetAcl(path, rnd.nextBoolean() ? Acls.OPEN_ACL_UNSAFE : Acls.READ_ACL_UNSAFE);
            } else {
                List<String> leaves = new ArrayList<>();
                for (String p : paths) {
                    if (!DataTree.isSystemPath(p) && sm.tree().get(p).numChildren() == 0) {
                        leaves.add(p);
                    }
                }
                txn = leaves.isEmpty() ? new Txn.SetData("/", new byte[] {1})
                        : new Txn.Multi(List.of(new Txn.Delete(leaves.get(rnd.nextInt(leaves.size()))),
                                new Txn.SetData("/", new byte[] {(byte) i})));
            }
            h = new TxnHeader(session, i, ++zxid, 1_700_000_000_000L + i);
            sm.apply(h, txn, ignore);
            ignore.clear();
            out.add(new TxnCodec.Entry(h, txn));
        }
        return out;
    }

    static List<String> allPaths(DataTree tree) {
        List<String> out = new ArrayList<>();
        collect(tree, "/", out);
        return out;
    }

    private static void collect(DataTree tree, String path, List<String> out) {
        out.add(path);
        for (String child : new java.util.TreeSet<>(tree.get(path).childNames())) {
            collect(tree, path.equals("/") ? "/" + child : path + "/" + child, out);
        }
    }

    static StateMachine applyAll(List<TxnCodec.Entry> txns) {
        StateMachine sm = new StateMachine(true);
        List<Notification> ignore = new ArrayList<>();
        for (TxnCodec.Entry e : txns) {
            sm.apply(e.header(), e.txn(), ignore);
            ignore.clear();
        }
        return sm;
    }

    /** A readable dump of every node's Stat and data, and the session table, for equality checks. */
    static String describe(StateMachine sm) {
        TreeMap<String, String> nodes = new TreeMap<>();
        for (String path : allPaths(sm.tree())) {
            Node n = sm.tree().get(path);
            nodes.put(path, n.stat(true) + " data=" + java.util.Arrays.toString(n.data()) + " acl=" + n.acl()
                    + " owner=" + n.ephemeralOwner());
        }
        TreeMap<Long, String> sessions = new TreeMap<>();
        sm.sessions().all().forEach((id, e) -> sessions.put(id, e.timeoutMs() + ":" + java.util.Arrays.toString(e.password())));
        return "zxid=" + sm.lastZxid() + "\n" + nodes + "\n" + sessions + "\n" + sortedEphemerals(sm)
                + "\ncontainers=" + sm.tree().containers() + " ttls=" + sm.tree().ttlNodes();
    }

    private static TreeMap<Long, java.util.TreeSet<String>> sortedEphemerals(StateMachine sm) {
        TreeMap<Long, java.util.TreeSet<String>> out = new TreeMap<>();
        sm.tree().ephemeralsBySession().forEach((id, paths) -> out.put(id, new java.util.TreeSet<>(paths)));
        return out;
    }

    static void writeLog(Path dir, List<TxnCodec.Entry> txns, int perSegment) throws IOException {
        try (TxnLog log = new TxnLog(dir, 64 * 1024, true)) {
            int n = 0;
            for (TxnCodec.Entry e : txns) {
                if (n > 0 && n % perSegment == 0) {
                    log.roll();
                }
                log.append(e.header().zxid(), TxnCodec.encode(e.header(), e.txn()));
                if (++n % 7 == 0) {
                    log.sync();
                }
            }
        }
    }
}
