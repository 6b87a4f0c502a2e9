package io.paddock.cli;

import io.paddock.client.ChildList;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.Transaction;
import io.paddock.protocol.ACL;
import io.paddock.protocol.Acls;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.Stat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Commands that read and write znodes: ls, create, get, set, stat, delete, deleteall, sync, config... */
final class NodeCommands {
    static final String CONFIG_NODE = "/zookeeper/config";

    private NodeCommands() {
    }

    static void register(Commands c) {
        c.add(new Command("ls", "ls [-s] [-w] [-R] path", "swR", "", 1, NodeCommands::ls));
        c.add(new Command("create", "create [-s] [-e] [-c] [-t ttl] path [data] [acl]", "sec", "t", 1,
                NodeCommands::create));
        c.add(new Command("get", "get [-s] [-w] path", "sw", "", 1, NodeCommands::get));
        c.add(new Command("set", "set [-s] [-v version] path data", "s", "v", 2, NodeCommands::set));
        c.add(new Command("stat", "stat [-w] path", "w", "", 1, NodeCommands::stat));
        c.add(new Command("delete", "delete [-v version] path", "", "v", 1, NodeCommands::delete));
        c.add(new Command("deleteall", "deleteall path [-b batch size]", "", "b", 1, NodeCommands::deleteAll));
        c.add(new Command("sync", "sync path", "", "", 1, NodeCommands::sync));
        c.add(new Command("getAllChildrenNumber", "getAllChildrenNumber path", "", "", 1,
                (a, s) -> s.out().println(s.client().getAllChildrenNumber(a.arg(0)))));
        c.add(new Command("getEphemerals", "getEphemerals [path]", "", "", 0, NodeCommands::getEphemerals));
        c.add(new Command("config", "config [-c] [-w] [-s]", "cws", "", 0, NodeCommands::config));
    }

    private static void ls(Args a, Session s) throws InterruptedException {
        PaddockClient client = s.client();
        String path = a.arg(0);
        if (a.has('R')) {
            for (String p : Trees.breadthFirst(client, path)) {
                s.out().println(p);
            }
            return;
        }
        ChildList list = client.getChildrenWithStat(path, a.has('w') ? s.watcher() : null);
        List<String> children = new ArrayList<>(list.children());
        Collections.sort(children);
        s.out().println(children);
        if (a.has('s')) {
            StatPrinter.print(list.stat(), s.out());
        }
    }

    private static void create(Args a, Session s) throws InterruptedException {
        boolean sequential = a.has('s');
        boolean ephemeral = a.has('e');
        boolean container = a.has('c');
        boolean ttl = a.has('t');
        if (container && (sequential || ephemeral)) {
            throw new CliException("-c cannot be combined with -s or -e: a container is neither sequential nor ephemeral");
        }
        if (ttl && (ephemeral || container)) {
            throw new CliException("-t cannot be combined with -e or -c: only persistent nodes have a TTL");
        }
        CreateMode mode;
        if (container) {
            mode = CreateMode.CONTAINER;
        } else if (ttl) {
            mode = sequential ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_WITH_TTL;
        } else if (ephemeral) {
            mode = sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
        } else {
            mode = sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT;
        }
        byte[] data = bytes(a.arg(1));
        List<ACL> acl = a.arg(2) == null ? Acls.OPEN_ACL_UNSAFE : AclText.parse(a.arg(2));
        String created;
        if (ttl) {
            long ttlMs;
            try {
                ttlMs = Long.parseLong(a.value('t'));
            } catch (NumberFormatException e) {
                throw new CliException("-t " + a.value('t') + ": the ttl must be a number of milliseconds");
            }
            if (ttlMs <= 0) {
                throw new CliException("-t " + ttlMs + ": the ttl must be positive");
            }
            created = s.client().createTtl(a.arg(0), data, acl, mode, ttlMs).path();
        } else {
            created = s.client().create(a.arg(0), data, acl, mode);
        }
        // Apache's shell reports this on stderr, so `create` prints nothing on stdout.
        s.err().println("Created " + created);
    }

    private static void get(Args a, Session s) throws InterruptedException {
        NodeData node = s.client().getData(a.arg(0), a.has('w') ? s.watcher() : null);
        s.out().println(text(node.data()));
        if (a.has('s')) {
            StatPrinter.print(node.stat(), s.out());
        }
    }

    private static void set(Args a, Session s) throws InterruptedException {
        Stat stat = s.client().setData(a.arg(0), bytes(a.arg(1)), a.intValue('v', -1, "the version"));
        if (a.has('s')) {
            StatPrinter.print(stat, s.out());
        }
    }

    private static void stat(Args a, Session s) throws InterruptedException {
        Stat stat = s.client().exists(a.arg(0), a.has('w') ? s.watcher() : null);
        if (stat == null) {
            throw new CliException("Node does not exist: " + a.arg(0));
        }
        StatPrinter.print(stat, s.out());
    }

    private static void delete(Args a, Session s) throws InterruptedException {
        s.client().delete(a.arg(0), a.intValue('v', -1, "the version"));
    }

    /** Deletes the subtree leaves first, in multi-op batches of at most {@code -b} deletes. */
    private static void deleteAll(Args a, Session s) throws InterruptedException {
        int batch = a.intValue('b', 1000, "the batch size");
        if (batch <= 0) {
            throw new CliException("-b " + batch + ": the batch size must be positive");
        }
        PaddockClient client = s.client();
        List<String> paths = new ArrayList<>(Trees.breadthFirst(client, a.arg(0)));
        // The root and the server's own /zookeeper tree cannot be deleted; leave them be.
        paths.removeIf(p -> p.equals("/") || p.equals("/zookeeper") || p.startsWith("/zookeeper/"));
        Collections.reverse(paths);
        for (int i = 0; i < paths.size(); i += batch) {
            Transaction t = client.transaction();
            for (String p : paths.subList(i, Math.min(paths.size(), i + batch))) {
                t.delete(p, -1);
            }
            t.commit();
        }
    }

    private static void sync(Args a, Session s) throws InterruptedException {
        s.client().sync(a.arg(0));
        s.out().println("Sync is OK");
    }

    private static void getEphemerals(Args a, Session s) throws InterruptedException {
        List<String> paths = new ArrayList<>(s.client().getEphemerals(a.arg(0) == null ? "/" : a.arg(0)));
        Collections.sort(paths);
        s.out().println(paths);
    }

    private static void config(Args a, Session s) throws InterruptedException {
        NodeData node = s.client().getData(CONFIG_NODE, a.has('w') ? s.watcher() : null);
        String config = node.data() == null ? "" : new String(node.data(), StandardCharsets.UTF_8);
        PrintStream out = s.out();
        out.println(a.has('c') ? ClientConfig.of(config) : config);
        if (a.has('s')) {
            StatPrinter.print(node.stat(), out);
        }
    }

    static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] data) {
        return data == null ? "null" : new String(data, StandardCharsets.UTF_8);
    }
}
