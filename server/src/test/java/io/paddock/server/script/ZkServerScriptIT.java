package io.paddock.server.script;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.paddock.server.testing.Clients;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@code bin/zkServer.sh} as a user would: real script, real JVM, real port.
 *
 * <p>An integration test (failsafe, {@code verify} phase) because the script runs the jar
 * and {@code target/lib} that {@code package} produces; it never builds them itself.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ZkServerScriptIT {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final String NOT_RUNNING = "Error contacting service. It is probably not running.";

    private static Path repoRoot;
    private static Path script;

    @TempDir
    Path tmp;

    private Path dataDir;
    private Path logDir;
    private Path pidFile;
    private int port;
    private int runs;
    /** Handles remember the process start time, so a recycled pid is never killed. */
    private final List<ProcessHandle> started = new ArrayList<>();

    @BeforeAll
    static void locateScript() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("bin/zkServer.sh"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no bin/zkServer.sh above " + Path.of("").toAbsolutePath());
        repoRoot = dir;
        script = dir.resolve("bin/zkServer.sh");
        // Without these the script would start a Maven build; this test must not.
        assertTrue(Files.isRegularFile(repoRoot.resolve("server/target/paddock-server.jar"))
                        && Files.isDirectory(repoRoot.resolve("server/target/lib")),
                "server/target/paddock-server.jar and server/target/lib are missing: run `mvn package` first");
    }

    @BeforeEach
    void prepareConfig() throws IOException {
        dataDir = tmp.resolve("data");
        logDir = tmp.resolve("logs");
        pidFile = dataDir.resolve("zookeeper_server.pid");
        port = freePort();
        writeConfig("zoo.cfg", "2000");
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (Files.exists(pidFile)) {
            run("stop", cfg("zoo.cfg"));
        }
        // Belt and braces: nothing this test started may outlive it.
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** As with Apache's script: JMXPORT opens a remote JMX port, where the server's beans are read. */
    @Test
    void jmxPortServesTheServerBeans() throws Exception {
        int jmxPort = freePort();
        Result start = run("start", cfg("zoo.cfg"), Map.of("JMXPORT", Integer.toString(jmxPort)));
        assertEquals(0, start.exitCode(), start.output());
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(started::add);
        ObjectName tree = new ObjectName(
                "org.apache.ZooKeeperService:name0=StandaloneServer_port" + port + ",name1=InMemoryDataTree");
        JMXServiceURL url = new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (JMXConnector jmx = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection mbs = jmx.getMBeanServerConnection();
            await().atMost(Duration.ofSeconds(10)).until(() -> (int) mbs.getAttribute(tree, "NodeCount") > 0);
            int before = (int) mbs.getAttribute(tree, "NodeCount");
            try (ZooKeeper zk = Clients.connect(port)) {
                zk.create("/jmx", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> (int) mbs.getAttribute(tree, "NodeCount") == before + 1);
            assertEquals(Integer.toString(port), mbs.getAttribute(new ObjectName(
                    "org.apache.ZooKeeperService:name0=StandaloneServer_port" + port), "ClientPort"));
        }
    }

    @Test
    void startStatusStopStatus() throws Exception {
        Result start = run("start", cfg("zoo.cfg"));
        assertEquals(0, start.exitCode(), start.output());
        assertTrue(start.output().contains("Starting zookeeper ... STARTED"), start.output());
        assertTrue(Files.isRegularFile(pidFile), "pid file " + pidFile);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(started::add);
        assertEquals(1, started.size(), "process " + pid + " from the pid file is running");
        assertTrue(Files.isDirectory(logDir), "daemon logs go to ZOO_LOG_DIR " + logDir);

        Result again = run("start", cfg("zoo.cfg"));
        assertEquals(1, again.exitCode(), again.output());
        assertTrue(again.output().contains("already running as process " + pid), again.output());

        Result status = run("status", cfg("zoo.cfg"));
        assertEquals(0, status.exitCode(), status.output());
        assertTrue(status.output().contains("Client port found: " + port + "."), status.output());
        assertTrue(status.output().contains("Mode: standalone"), status.output());

        Result stop = run("stop", cfg("zoo.cfg"));
        assertEquals(0, stop.exitCode(), stop.output());
        assertTrue(stop.output().contains("Stopping zookeeper ... STOPPED"), stop.output());
        assertFalse(Files.exists(pidFile), "stop removes the pid file");
        await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));

        Result after = run("status", cfg("zoo.cfg"));
        assertEquals(1, after.exitCode(), after.output());
        assertTrue(after.output().contains(NOT_RUNNING), after.output());
    }

    @Test
    void startFailsWhenTheClientPortIsTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

            Result start = run("start", cfg("zoo.cfg"));

            assertNotEquals(0, start.exitCode(), start.output());
            assertTrue(start.output().contains("FAILED TO START"), start.output());
            assertTrue(start.output().contains("port " + port), start.output());
            assertFalse(Files.exists(pidFile), "no pid file for a server that did not start");
        }
    }

    @Test
    void startFailsAndShowsTheReasonWhenTheServerDiesDuringStartUp() throws Exception {
        Path bad = writeConfig("bad.cfg", "soon");

        Result start = run("start", bad);

        assertNotEquals(0, start.exitCode(), start.output());
        assertTrue(start.output().contains("FAILED TO START"), start.output());
        // The server's own complaint is on screen, and the way to the full log is too.
        assertTrue(start.output().contains("tickTime"), start.output());
        assertTrue(start.output().contains(logDir.toString()), start.output());
        assertFalse(Files.exists(pidFile), "no pid file for a server that did not start");
        assertEquals(1, run("status", bad).exitCode());
    }

    // ---------------------------------------------------------------------------------

    private record Result(int exitCode, String output) {
    }

    private Path cfg(String name) {
        return tmp.resolve("conf").resolve(name);
    }

    private Path writeConfig(String name, String tickTime) throws IOException {
        Path file = cfg(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "tickTime=" + tickTime,
                "dataDir=" + dataDir,
                "clientPortAddress=127.0.0.1",
                "clientPort=" + port,
                "admin.serverPort=0",
                ""));
        return file;
    }

    /** Runs the script to completion (bounded), stdout and stderr merged. */
    private Result run(String command, Path config) throws Exception {
        return run(command, config, Map.of());
    }

    private Result run(String command, Path config, Map<String, String> extraEnv) throws Exception {
        Path out = tmp.resolve("run-" + (++runs) + "-" + command + ".txt");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), command, config.toString())
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        for (String inherited : List.of("JVMFLAGS", "SERVER_JVMFLAGS", "ZOOPIDFILE", "ZOOCFGDIR", "ZOOCFG",
                "JMXDISABLE", "JMXPORT", "JMXLOCALONLY", "JMXAUTH", "JMXSSL", "JMXHOSTNAME")) {
            env.remove(inherited);
        }
        env.putAll(extraEnv);
        env.put("ZOO_LOG_DIR", logDir.toString());
        env.put("ZK_SERVER_HEAP", "256");
        Process process = pb.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("zkServer.sh " + command + " did not finish within " + SCRIPT_TIMEOUT + ":\n"
                    + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
