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
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Paddock ensemble of real server processes on loopback, each with its own data directory and
 * free ports, that a test can kill with SIGKILL, restart and query with four-letter words. Closing
 * it kills every process and deletes every directory.
 */
final class Ensemble implements AutoCloseable {
    private final Path dir = TestServers.tempDir("paddock-ensemble");
    private final int voters;
    private final int observers;
    private final int[] clientPorts;
    private final Process[] processes;
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
        this.voters = voters;
        this.observers = observers;
        int n = voters + observers;
        this.clientPorts = new int[n + 1];
        this.processes = new Process[n + 1];
        int[] quorumPorts = new int[n + 1];
        int[] electionPorts = new int[n + 1];
        List<ServerSocket> reserved = new ArrayList<>();
        this.peerProxies = proxiedPeers ? new FaultProxy[n + 1][n + 1][] : null;
        try {
            for (int i = 1; i <= n; i++) {
                clientPorts[i] = reserve(reserved);
                quorumPorts[i] = reserve(reserved);
                electionPorts[i] = reserve(reserved);
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
                cfg.put("server." + j, "127.0.0.1:" + quorum + ":" + election + (j > voters ? ":observer" : ""));
            }
            if (i > voters) {
                cfg.put("peerType", "observer");
            }
            cfg.putAll(extra);
            StringBuilder sb = new StringBuilder();
            cfg.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Files.writeString(data.resolve("zoo.cfg"), sb.toString());
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

    int size() {
        return voters + observers;
    }

    int clientPort(int i) {
        return clientPorts[i];
    }

    Path dataDir(int i) {
        return dir.resolve("server" + i);
    }

    /** host:port of every server. */
    String connectString() {
        StringJoiner j = new StringJoiner(",");
        for (int i = 1; i <= size(); i++) {
            j.add("127.0.0.1:" + clientPorts[i]);
        }
        return j.toString();
    }

    String connectString(int i) {
        return "127.0.0.1:" + clientPorts[i];
    }

    void start(int i) throws IOException {
        Path target = repoRoot().resolve("server/target");
        String cp = target.resolve("paddock-server.jar") + File.pathSeparator + target.resolve("lib") + File.separator + "*";
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-cp", cp, "io.paddock.server.Main",
                dataDir(i).resolve("zoo.cfg").toString());
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
    void pause(int i) throws IOException, InterruptedException {
        signal(i, "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume(int i) throws IOException, InterruptedException {
        signal(i, "CONT");
    }

    private void signal(int i, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[i].pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " of server " + i + " failed");
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing unsynced survives. */
    void kill(int i) throws InterruptedException {
        Process p = processes[i];
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            processes[i] = null;
        }
    }

    boolean alive(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    /** The server's answer to a four-letter word, or "" when it cannot be reached. */
    String fourLetterWord(int i, String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPorts[i]), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /** "leader", "follower", "observer", or "" when not serving. */
    String mode(int i) {
        for (String line : fourLetterWord(i, "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring(6).trim();
            }
        }
        return "";
    }

    long zxid(int i) {
        for (String line : fourLetterWord(i, "srvr").split("\n")) {
            if (line.startsWith("Zxid: 0x")) {
                return Long.parseLong(line.substring(8).trim(), 16);
            }
        }
        return -1;
    }

    /** The serving leader's index, or -1. */
    int leader() {
        for (int i = 1; i <= size(); i++) {
            if (alive(i) && mode(i).equals("leader")) {
                return i;
            }
        }
        return -1;
    }

    /** Waits until every live server serves, exactly one as leader. */
    int awaitServing(Duration atMost) {
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

    String log(int i) {
        try {
            return Files.readString(dataDir(i).resolve("server.out"));
        } catch (IOException e) {
            return "";
        }
    }

    String tail(int i) {
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

    static Path repoRoot() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("bin/zkServer.sh"))) {
            d = d.getParent();
        }
        assertNotNull(d, "repository root not found");
        return d;
    }
}
