package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.paddock.server.testing.FaultProxy;
import io.paddock.server.testing.TestServers;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A Paddock ensemble of real server processes on loopback, each with its own data directory and
 * free ports, that a test can kill with SIGKILL, restart and query with four-letter words. Closing
 * it kills every process and deletes every directory. The nemesis suite places the servers
 * elsewhere (a {@link Placement}) and may run another implementation (a {@link Launch}).
 */
public final class Ensemble implements AutoCloseable {
    /** What a server process runs: a main class taking the zoo.cfg path, its classpath and JVM options. */
    public record Launch(String mainClass, String classpath, List<String> jvmOptions) {
        /** Paddock as packaged: server/target/paddock-server.jar and the jars copied to server/target/lib. */
        public static Launch paddock() {
            Path target = repoRoot().resolve("server/target");
            return new Launch("io.paddock.server.Main", target.resolve("paddock-server.jar") + File.pathSeparator
                    + target.resolve("lib") + File.separator + "*", List.of());
        }
    }

    /**
     * Where each server runs: its own address (the client, quorum and election ports are then the
     * usual 2181, 2888, 3888) and the words that run a command there, such as {@code ip netns exec ns}.
     */
    public interface Placement {
        String host(int i);

        List<String> commandPrefix(int i);

        /** Variables added to the environment of server {@code i}'s process, asked at each start. */
        default Map<String, String> environment(int i) {
            return Map.of();
        }

        /**
         * Called once per server before its first start, its data directory holding zoo.cfg and myid:
         * e.g. to mount a file system of its own where the server writes.
         */
        default void prepare(int i, Path dataDir) throws IOException {
        }
    }

    private final Path dir = TestServers.tempDir("paddock-ensemble");
    private final int voters;
    private final int observers;
    private final Launch launch;
    private final Placement placement;
    private final String[] hosts;
    private final int[] clientPorts;
    private final Process[] processes;
    private final int[] quorumPorts;
    private final int[] electionPorts;
    /** JVM options of one server beyond the launch's, from its next start on. */
    private final Map<Integer, List<String>> ownJvmOptions = new HashMap<>();
    /** With proxied peers: {@code peerProxies[i][j]} relays what server i sends to server j (quorum, election). */
    private final FaultProxy[][][] peerProxies;

    /** Starts {@code voters} participants and {@code observers} observers; {@code extra} goes into every zoo.cfg. */
    Ensemble(int voters, int observers, Map<String, String> extra) throws IOException {
        this(voters, observers, extra, false);
    }

    /**
     * As {@link #Ensemble(int, int, Map)}; with {@code proxiedPeers}, every server reaches every other
     * through a {@link FaultProxy} of its own, so that a test can partition the servers from each other
     * ({@link #isolate}) while their clients still reach every one of them.
     */
    Ensemble(int voters, int observers, Map<String, String> extra, boolean proxiedPeers) throws IOException {
        this(voters, observers, extra, proxiedPeers, Launch.paddock(), null, i -> Map.of());
    }

    /** {@code voters} participants and {@code observers} observers running {@code launch} on this machine. */
    public Ensemble(int voters, int observers, Map<String, String> extra, Launch launch) throws IOException {
        this(voters, observers, extra, false, launch, null, i -> Map.of());
    }

    /**
     * As {@link #Ensemble(int, int, Map, Launch)}, with {@code own.apply(i)} added to server
     * {@code i}'s zoo.cfg after {@code extra} (its own key store, its own second port...).
     */
    public Ensemble(int voters, int observers, Map<String, String> extra, Launch launch,
            IntFunction<Map<String, String>> own) throws IOException {
        this(voters, observers, extra, false, launch, null, own);
    }

    /** {@code voters} participants running {@code launch}, each where {@code placement} puts it. */
    public Ensemble(int voters, Map<String, String> extra, Launch launch, Placement placement) throws IOException {
        this(voters, 0, extra, false, launch, placement, i -> Map.of());
    }

    private Ensemble(int voters, int observers, Map<String, String> extra, boolean proxiedPeers, Launch launch,
            Placement placement, IntFunction<Map<String, String>> perServer) throws IOException {
        this.voters = voters;
        this.observers = observers;
        this.launch = launch;
        this.placement = placement;
        int n = voters + observers;
        this.hosts = new String[n + 1];
        this.clientPorts = new int[n + 1];
        this.processes = new Process[n + 1];
        this.quorumPorts = new int[n + 1];
        this.electionPorts = new int[n + 1];
        List<ServerSocket> reserved = new ArrayList<>();
        this.peerProxies = proxiedPeers ? new FaultProxy[n + 1][n + 1][] : null;
        try {
            for (int i = 1; i <= n; i++) {
                boolean own = placement != null;
                hosts[i] = own ? placement.host(i) : "127.0.0.1";
                clientPorts[i] = own ? 2181 : reserve(reserved);
                quorumPorts[i] = own ? 2888 : reserve(reserved);
                electionPorts[i] = own ? 3888 : reserve(reserved);
            }
            // Bound while the servers' ports are still held, so no proxy takes one of them.
            for (int i = 1; proxiedPeers && i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        peerProxies[i][j] = new FaultProxy[] {new FaultProxy(quorumPorts[j]),
                            new FaultProxy(electionPorts[j])};
                    }
                }
            }
        } finally {
            for (ServerSocket s : reserved) {
                s.close();
            }
        }
        for (int i = 1; i <= n; i++) {
            Path data = dir.resolve("server" + i);
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), i + "\n");
            Map<String, String> cfg = new TreeMap<>();
            cfg.put("tickTime", "200");
            cfg.put("initLimit", "20");
            cfg.put("syncLimit", "10");
            cfg.put("dataDir", data.toString());
            cfg.put("clientPort", Integer.toString(clientPorts[i]));
            cfg.put("4lw.commands.whitelist", "*");
            cfg.put("maxSessionTimeout", "60000");
            // Several servers on one machine: each admin server on a free port of its own.
            cfg.put("admin.serverPort", "0");
            for (int j = 1; j <= n; j++) {
                boolean relayed = proxiedPeers && i != j;
                int quorum = relayed ? peerProxies[i][j][0].port() : quorumPorts[j];
                int election = relayed ? peerProxies[i][j][1].port() : electionPorts[j];
                cfg.put("server." + j, hosts[j] + ":" + quorum + ":" + election + (j > voters ? ":observer" : ""));
            }
            if (i > voters) {
                cfg.put("peerType", "observer");
            }
            cfg.putAll(extra);
            cfg.putAll(perServer.apply(i));
            StringBuilder sb = new StringBuilder();
            cfg.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Files.writeString(data.resolve("zoo.cfg"), sb.toString());
            if (placement != null) {
                placement.prepare(i, data);
            }
        }
        for (int i = 1; i <= n; i++) {
            start(i);
        }
    }

    private static int reserve(List<ServerSocket> reserved) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        reserved.add(s);
        return s.getLocalPort();
    }

    /** Server {@code i}'s own JVM options (beyond the launch's), used from its next {@link #start}. */
    public void jvmOptions(int i, List<String> options) {
        ownJvmOptions.put(i, List.copyOf(options));
    }

    /** Server {@code i}'s quorum port (where learners connect to it as leader). */
    int quorumPort(int i) {
        return quorumPorts[i];
    }

    int electionPort(int i) {
        return electionPorts[i];
    }

    public int size() {
        return voters + observers;
    }

    int clientPort(int i) {
        return clientPorts[i];
    }

    Path dataDir(int i) {
        return dir.resolve("server" + i);
    }

    /** host:port of every server. */
    public String connectString() {
        StringJoiner j = new StringJoiner(",");
        for (int i = 1; i <= size(); i++) {
            j.add(connectString(i));
        }
        return j.toString();
    }

    public String connectString(int i) {
        return hosts[i] + ":" + clientPorts[i];
    }

    public void start(int i) throws IOException {
        List<String> command = new ArrayList<>(placement == null ? List.of() : placement.commandPrefix(i));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
                "-XX:+UseSerialGC"));
        command.addAll(launch.jvmOptions());
        command.addAll(ownJvmOptions.getOrDefault(i, List.of()));
        command.addAll(List.of("-cp", launch.classpath(), launch.mainClass(), dataDir(i).resolve("zoo.cfg").toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (placement != null) {
            pb.environment().putAll(placement.environment(i));
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir(i).resolve("server.out").toFile()));
        processes[i] = pb.start();
    }

    /**
     * Black-holes every link between server {@code i} and each of {@code others} (both ways, quorum
     * and election ports): connections stay open and carry nothing, as in a network partition.
     * Needs proxied peers.
     */
    void isolate(int i, int... others) {
        for (int j : others) {
            for (FaultProxy p : peerProxies[i][j]) {
                p.blackhole();
            }
            for (FaultProxy p : peerProxies[j][i]) {
                p.blackhole();
            }
        }
    }

    /** Lets every link between servers carry messages again. */
    void healPeers() {
        peerProxies().forEach(FaultProxy::heal);
    }

    private List<FaultProxy> peerProxies() {
        List<FaultProxy> all = new ArrayList<>();
        for (int i = 1; peerProxies != null && i <= size(); i++) {
            for (int j = 1; j <= size(); j++) {
                if (i != j) {
                    all.addAll(List.of(peerProxies[i][j]));
                }
            }
        }
        return all;
    }

    /** SIGSTOP: the process freezes with its sockets open, as in a long GC pause or a stopped VM. */
    public void pause(int i) throws IOException, InterruptedException {
        signal(i, "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume(int i) throws IOException, InterruptedException {
        signal(i, "CONT");
    }

    private void signal(int i, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[i].pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " of server " + i + " failed");
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing unsynced survives. */
    public void kill(int i) throws InterruptedException {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            processes[i] = null;
        }
    }

    /** The process id of server {@code i} (to attach to its JVM, e.g. for JMX). */
    public long pid(int i) {
        return processes[i].pid();
    }

    public boolean alive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    /** The server's answer to a four-letter word, or "" when it cannot be reached. */
    String fourLetterWord(int i, String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hosts[i], clientPorts[i]), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /** "leader", "follower", "observer", or "" when not serving. */
    public String mode(int i) {
        for (String line : fourLetterWord(i, "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring(6).trim();
            }
        }
        return "";
    }

    public long zxid(int i) {
        for (String line : fourLetterWord(i, "srvr").split("\n")) {
            if (line.startsWith("Zxid: 0x")) {
                return Long.parseLong(line.substring(8).trim(), 16);
            }
        }
        return -1;
    }

    /** The serving leader's index, or -1. */
    public int leader() {
        for (int i = 1; i <= size(); i++) {
            if (alive(i) && mode(i).equals("leader")) {
                return i;
            }
        }
        return -1;
    }

    /** Waits until every live server serves, exactly one as leader. */
    public int awaitServing(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            int leaders = 0;
            for (int i = 1; i <= size(); i++) {
                if (processes[i] == null) {
                    continue;
                }
                if (!processes[i].isAlive()) {
                    throw new AssertionError("server " + i + " exited: " + tail(i));
                }
                String m = mode(i);
                if (m.isEmpty()) {
                    return false;
                }
                leaders += m.equals("leader") ? 1 : 0;
            }
            return leaders == 1;
        });
        return leader();
    }

    public String log(int i) {
        try {
            return Files.readString(dataDir(i).resolve("server.out"));
        } catch (IOException e) {
            return "";
        }
    }

    public String tail(int i) {
        String all = log(i);
        return all.substring(Math.max(0, all.length() - 4000));
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 1; i <= size(); i++) {
            kill(i);
        }
        peerProxies().forEach(FaultProxy::close);
        if (!Boolean.getBoolean("ensemble.keep")) {
            TestServers.deleteTree(dir);
        }
    }

    public static Path repoRoot() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("bin/zkServer.sh"))) {
            d = d.getParent();
        }
        assertNotNull(d, "repository root not found");
        return d;
    }
}
