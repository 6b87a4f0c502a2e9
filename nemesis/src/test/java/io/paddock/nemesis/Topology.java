package io.paddock.nemesis;

import io.paddock.server.ensemble.Ensemble;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Servers 1..n each in a network namespace of its own, its veth on one bridge in the root
 * namespace, which holds the bridge's address and so reaches every server: the test's clients run
 * there. Partitions are iptables DROP rules inside the servers' namespaces, matching only server
 * addresses, so clients keep reaching every server; the rules go with the namespaces.
 *
 * <p>Names start with {@code nm<pid>-<k>}: parallel runs never share one, and the leftovers of a
 * run whose JVM died (its pid gone) are removed when the next run starts.
 */
final class Topology implements Ensemble.Placement, AutoCloseable {
    private static final Pattern OURS = Pattern.compile("^nm(?:pf)?(\\d+)[-a-z].*");
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String tag;
    private final int n;
    private final String subnet;
    private final List<String> namespaces = new ArrayList<>();
    private boolean closed;

    private Topology(int n) {
        this.n = n;
        this.tag = "nm" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        this.subnet = freeSubnet();
    }

    /** Builds the bridge and {@code n} namespaces; on failure removes what it made. */
    static Topology create(int n) {
        removeLeftovers();
        Topology t = new Topology(n);
        try {
            t.build();
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void build() {
        String bridge = bridge();
        Shell.check("ip", "link", "add", "name", bridge, "type", "bridge");
        Shell.check("ip", "addr", "add", subnet + ".1/24", "dev", bridge);
        Shell.check("ip", "link", "set", bridge, "up");
        for (int i = 1; i <= n; i++) {
            String ns = tag + "s" + i;
            Shell.check("ip", "netns", "add", ns);
            namespaces.add(ns);
            String veth = tag + "v" + i;
            Shell.check("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            Shell.check("ip", "link", "set", veth, "master", bridge, "up");
            Shell.check("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            Shell.check("ip", "netns", "exec", ns, "ip", "addr", "add", host(i) + "/24", "dev", "eth0");
            Shell.check("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
        }
    }

    private String bridge() {
        return tag + "br";
    }

    int size() {
        return n;
    }

    @Override
    public String host(int i) {
        return subnet + "." + (10 + i);
    }

    @Override
    public List<String> commandPrefix(int i) {
        // ip netns exec execs the command: the process started is the server's JVM itself.
        return List.of("ip", "netns", "exec", namespaces.get(i - 1));
    }

    /** Drops every packet between servers on different sides; each side talks within itself and to clients. */
    void partition(Collection<Set<Integer>> sides) {
        List<int[]> pairs = new ArrayList<>();
        for (Set<Integer> side : sides) {
            for (int a : side) {
                for (int b = a + 1; b <= n; b++) {
                    if (!side.contains(b)) {
                        pairs.add(new int[] {a, b});
                    }
                }
            }
        }
        cut(pairs);
    }

    /**
     * Drops every packet between the two servers of each pair, both ways; other pairs still talk. A
     * server cut from some servers but not others sees both sides of a partition (a bridge).
     */
    void cut(Collection<int[]> pairs) {
        for (int[] pair : pairs) {
            drop(pair[0], pair[1]);
            drop(pair[1], pair[0]);
        }
    }

    /** Drops what server {@code a} receives from and sends to server {@code b}, in a's namespace. */
    private void drop(int a, int b) {
        String ns = namespaces.get(a - 1);
        Shell.check("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s", host(b), "-j", "DROP");
        Shell.check("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-d", host(b), "-j", "DROP");
    }

    /**
     * Drops everything between the clients (the bridge's address, where the test JVM's sockets live)
     * and server {@code i}: its client connections stay open and carry nothing; the servers still talk.
     */
    void cutClients(int i) {
        String ns = namespaces.get(i - 1);
        Shell.check("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s", subnet + ".1", "-j", "DROP");
        Shell.check("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-d", subnet + ".1", "-j", "DROP");
    }

    /** Removes every rule: all servers reach each other again (connections that timed out meanwhile stay gone). */
    void heal() {
        for (String ns : namespaces) {
            Shell.check("ip", "netns", "exec", ns, "iptables", "-F");
        }
    }

    /** Kills what still runs in the namespaces, then removes them and the bridge. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String ns : namespaces) {
            removeNamespace(ns);
        }
        Shell.run("ip", "link", "delete", bridge());
    }

    private static void removeNamespace(String ns) {
        for (String pid : Shell.run("ip", "netns", "pids", ns).output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                Shell.run("kill", "-KILL", pid);
            }
        }
        // Deleting the namespace deletes its veth end, and with it the bridge side.
        Shell.run("ip", "netns", "delete", ns);
    }

    /** Namespaces and links of earlier runs whose JVM is gone (killed before it could clean up). */
    static void removeLeftovers() {
        for (String line : Shell.run("ip", "netns", "list").output().split("\n")) {
            String ns = line.split("\\s+")[0];
            if (deadRun(ns)) {
                removeNamespace(ns);
            }
        }
        for (String line : Shell.run("ip", "-o", "link", "show").output().split("\n")) {
            String[] parts = line.split(":\\s+");
            if (parts.length > 1) {
                String name = parts[1].split("@")[0];
                if (deadRun(name)) {
                    Shell.run("ip", "link", "delete", name);
                }
            }
        }
    }

    private static boolean deadRun(String name) {
        Matcher m = OURS.matcher(name);
        return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
    }

    /** 10.77.x for an x no address of this machine's root namespace uses yet (another run may hold one). */
    private static String freeSubnet() {
        String addresses = Shell.check("ip", "-o", "addr", "show");
        long start = ProcessHandle.current().pid();
        for (int k = 0; k < 254; k++) {
            String candidate = "10.77." + (1 + (start + k) % 254);
            if (!addresses.contains(" " + candidate + ".")) {
                return candidate;
            }
        }
        throw new IllegalStateException("every subnet 10.77.1-254.0/24 is in use on this machine");
    }
}
