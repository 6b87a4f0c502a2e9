package io.paddock.server.storage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.Acls;
import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.RequestHeader;
import io.paddock.server.testing.TestServers;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real server process under a steady write load from several clients is killed with SIGKILL
 * at random moments, many times, and restarted on the same data directory. After every restart,
 * every write whose acknowledgement reached a client is there, no multi is half-applied, the
 * ephemeral of a live session survives, and the ephemeral of a session nobody resumes goes once
 * its timeout has passed. Snapshots are taken during the run (small snapCount), so kills land
 * during snapshots and log rolls too.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {
    private static final int WRITERS = 4;
    private static final int CYCLES = 12;

    private static final Map<String, Long> ACK_ZXID = new ConcurrentHashMap<>();
    private final Path dir = TestServers.tempDir("paddock-crash");
    private final List<ZooKeeper> clients = new ArrayList<>();
    private Process server;
    private int port;

    @AfterEach
    void cleanUp() throws Exception {
        for (ZooKeeper zk : clients) {
            zk.close(1000);
        }
        if (server != null) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (!Boolean.getBoolean("crash.keep")) {
            TestServers.deleteTree(dir);
        }
    }

    private static Path repoRoot() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("bin/zkServer.sh"))) {
            d = d.getParent();
        }
        assertNotNull(d, "repository root not found");
        return d;
    }

    private void startServer() throws Exception {
        Path target = repoRoot().resolve("server/target");
        String cp = target.resolve("paddock-server.jar") + File.pathSeparator + target.resolve("lib") + File.separator + "*";
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", cp, "io.paddock.server.Main", dir.resolve("zoo.cfg").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()));
        server = pb.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(this::serving);
    }

    private boolean serving() {
        assertTrue(server.isAlive(), () -> "server exited: " + tail());
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).equals("imok");
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("server.out"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private ZooKeeper connect(int timeoutMs) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, timeoutMs, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        clients.add(zk);
        assertTrue(up.await(20, TimeUnit.SECONDS), "connect");
        return zk;
    }

    /** Opens a session over a raw socket, creates an ephemeral and drops the socket without closing the session. */
    private void abandonedSessionWithEphemeral(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            JuteOutput o = new JuteOutput();
            o.writeInt(0);
            new ConnectRequest(0, 0, 1000, 0, new byte[16], false, true).writeTo(o);
            o.setInt(0, o.size() - 4);
            out.write(o.array(), 0, o.size());
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            assertTrue(ConnectResponse.readFrom(new JuteInput(frame)).timeOut() > 0);
            o.reset();
            o.writeInt(0);
            new RequestHeader(1, OpCode.CREATE).writeTo(o);
            new CreateRequest(path, null, Acls.OPEN_ACL_UNSAFE, 1).writeTo(o);
            o.setInt(0, o.size() - 4);
            out.write(o.array(), 0, o.size());
            frame = new byte[in.readInt()];
            in.readFully(frame);
            assertEquals(0, ReplyHeader.readFrom(new JuteInput(frame)).err());
        }
    }

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Files.writeString(dir.resolve("zoo.cfg"), String.join("\n",
                "tickTime=500", "dataDir=" + dir.resolve("data"), "clientPort=" + port, "admin.serverPort=0",
                "clientPortAddress=127.0.0.1", "snapCount=400", "preAllocSize=256",
                "4lw.commands.whitelist=*", "maxSessionTimeout=10000", ""));
        startServer();
        ZooKeeper admin = connect(10_000);
        for (String p : List.of("/w", "/m", "/c", "/eph")) {
            admin.create(p, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        for (int w = 0; w < WRITERS; w++) {
            admin.create("/c/" + w, ByteBuffer.allocate(8).putLong(0).array(), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
        }
        ZooKeeper live = connect(10_000);
        live.create("/eph/live", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

        Set<String> ackedCreates = ConcurrentHashMap.newKeySet();
        Set<String> ackedMultis = ConcurrentHashMap.newKeySet();
        Map<Integer, Long> ackedCounter = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int id = w;
            ZooKeeper zk = connect(10_000);
            Thread t = new Thread(() -> writeLoop(zk, id, stop, ackedCreates, ackedMultis, ackedCounter), "writer-" + w);
            t.start();
            writers.add(t);
        }

        Random rnd = new Random(42);
        Set<String> abandoned = new HashSet<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            int before = ackedCreates.size();
            if (cycle % 3 == 0) {
                String path = "/eph/abandoned-" + cycle;
                abandonedSessionWithEphemeral(path);
                abandoned.add(path);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ackedCreates.size() > before + 20 + rnd.nextInt(200));
            server.destroyForcibly();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
            startServer();
            verify(admin, ackedCreates, ackedMultis, ackedCounter);
            await().atMost(Duration.ofSeconds(20)).until(() -> live.exists("/eph/live", false) != null);
        }
        stop.set(true);
        for (Thread t : writers) {
            t.join(30_000);
        }
        verify(admin, ackedCreates, ackedMultis, ackedCounter);
        assertNotNull(live.exists("/eph/live", false), "a live session keeps its ephemeral through every restart");
        // Sessions nobody resumed expire (timeout 1000 ms, counted from the restart) and their ephemerals go.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (String p : abandoned) {
                if (admin.exists(p, false) != null) {
                    return false;
                }
            }
            return true;
        });
        assertTrue(ackedCreates.size() > CYCLES * 20, "the load really ran: " + ackedCreates.size());
        String log = tail();
        assertTrue(Files.readString(dir.resolve("server.out")).contains("snapshot 0x"), "snapshots were taken:\n" + log);

        // The operator tools on the real files: every segment and snapshot checks out, and a purge
        // leaves a data directory the server recovers from with nothing lost.
        server.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        Path files = dir.resolve("data/version-2");
        for (Path segment : Recovery.segments(files)) {
            Tool t = tool("zkTxnLogToolkit.sh", segment.toString());
            assertEquals(0, t.exit(), t.output());
            assertTrue(t.output().contains(" txns"), t.output());
        }
        List<Path> snapshots = Recovery.snapshots(files);
        Tool snap = tool("zkSnapShotToolkit.sh", snapshots.get(0).toString());
        assertEquals(0, snap.exit(), snap.output());
        assertTrue(snap.output().contains("nodes: "), snap.output());
        Tool purge = tool("zkCleanup.sh", dir.resolve("data").toString(), "-n", "3");
        assertEquals(0, purge.exit(), purge.output());
        assertEquals(Math.min(3, snapshots.size()), Recovery.snapshots(files).size());
        startServer();
        // A fresh client: the old ones may have given their sessions up while the tools ran
        // (the Java client expires a session locally after 4/3 of its timeout without a server).
        verify(connect(10_000), ackedCreates, ackedMultis, ackedCounter);
    }

    private record Tool(int exit, String output) {
    }

    private static Tool tool(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("bin").resolve(script).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
        return new Tool(p.exitValue(), out);
    }

    private static void writeLoop(ZooKeeper zk, int id, AtomicBoolean stop, Set<String> ackedCreates,
                                  Set<String> ackedMultis, Map<Integer, Long> ackedCounter) {
        long seq = 0;
        while (!stop.get()) {
            seq++;
            try {
                String path = "/w/" + id + "-" + seq;
                org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
                zk.create(path, ByteBuffer.allocate(8).putLong(seq).array(), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT, stat);
                ackedCreates.add(path);
                ACK_ZXID.put(path, stat.getCzxid());
                if (seq % 5 == 0) {
                    String m = "/m/" + id + "-" + seq;
                    zk.multi(List.of(Op.create(m + "-a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                            Op.create(m + "-b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
                    ackedMultis.add(m);
                }
                if (seq % 3 == 0) {
                    zk.setData("/c/" + id, ByteBuffer.allocate(8).putLong(seq).array(), -1);
                    ackedCounter.put(id, seq);
                }
            } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException e) {
                // The outcome of this write is unknown; only acknowledged writes are checked.
                waitBriefly(zk);
            } catch (KeeperException.NodeExistsException e) {
                // A retried create that had in fact succeeded before the crash: fine.
            } catch (KeeperException e) {
                throw new IllegalStateException("unexpected error from the server", e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void waitBriefly(ZooKeeper zk) {
        // Back off until the client reconnects (bounded) rather than spinning on ConnectionLoss.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> zk.getState() == ZooKeeper.States.CONNECTED || zk.getState() == ZooKeeper.States.CLOSED);
    }

    private void verify(ZooKeeper admin, Set<String> ackedCreates, Set<String> ackedMultis,
                        Map<Integer, Long> ackedCounter) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.getState() == ZooKeeper.States.CONNECTED);
        // What was acknowledged before the server is read: writes go on meanwhile.
        Set<String> acked = Set.copyOf(ackedCreates);
        Set<String> ackedM = Set.copyOf(ackedMultis);
        Map<Integer, Long> ackedC = Map.copyOf(ackedCounter);
        Set<String> created = new HashSet<>();
        for (String child : admin.getChildren("/w", false)) {
            created.add("/w/" + child);
        }
        for (String p : acked) {
            assertTrue(created.contains(p), "acknowledged create lost: " + p + " (acked with czxid 0x"
                    + Long.toHexString(ACK_ZXID.getOrDefault(p, -1L)) + "; data in " + dir + ")");
        }
        Set<String> multiNodes = new HashSet<>(admin.getChildren("/m", false));
        for (String node : multiNodes) {
            String base = node.substring(0, node.lastIndexOf('-'));
            assertTrue(multiNodes.contains(base + "-a") && multiNodes.contains(base + "-b"), "half-applied multi: " + node);
        }
        for (String m : ackedM) {
            String name = m.substring(3);
            assertTrue(multiNodes.contains(name + "-a"), "acknowledged multi lost: " + m);
        }
        for (Map.Entry<Integer, Long> e : ackedC.entrySet()) {
            long value = ByteBuffer.wrap(admin.getData("/c/" + e.getKey(), false, null)).getLong();
            assertTrue(value >= e.getValue(), "counter " + e.getKey() + " went back from " + e.getValue() + " to " + value);
        }
    }
}
