package io.paddock.server.audit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.ensemble.Ensemble;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The audit log of a real server process, configured with the audit appender that
 * conf/logback.xml carries commented out: its lines land in the audit file, not the server log.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditLogIT {
    private final Path dir = TestServers.tempDir("paddock-audit");

    @AfterEach
    void cleanUp() {
        TestServers.deleteTree(dir);
    }

    /** conf/logback.xml with its audit block uncommented, the audit file in {@code dir}. */
    private Path logbackWithAuditFile() throws Exception {
        String conf = Files.readString(Ensemble.repoRoot().resolve("conf/logback.xml"));
        int start = conf.indexOf("  <appender name=\"AUDITFILE\"");
        int end = conf.indexOf("</logger>", start) + "</logger>".length();
        assertTrue(start > 0 && end > start, "conf/logback.xml has no audit appender example");
        String block = conf.substring(start, end);
        int comment = conf.lastIndexOf("<!--", start);
        int commentEnd = conf.indexOf("-->", end) + "-->".length();
        String enabled = conf.substring(0, comment) + block + conf.substring(commentEnd);
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, enabled);
        return file;
    }

    @Test
    void writesGoToTheAuditFileAsApacheFormsThem() throws Exception {
        Path logback = logbackWithAuditFile();
        Path audit = dir.resolve("paddock_audit.log");
        try (ServerProcess server = ServerProcess.start(Map.of("audit.enable", "true"),
                "-Dlogback.configurationFile=" + logback, "-Dzookeeper.log.dir=" + dir)) {
            server.awaitServing();
            long session;
            try (ZooKeeper zk = Clients.connect(server.connectString())) {
                session = zk.getSessionId();
                zk.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
                zk.create("/a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
                zk.create("/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                zk.multi(List.of(Op.create("/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.setData("/m", new byte[1], -1)));
                try {
                    zk.multi(List.of(Op.create("/m2", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                            Op.delete("/missing", -1)));
                } catch (org.apache.zookeeper.KeeperException expected) {
                    // the failed multi is audited as one failure
                }
                zk.getData("/m", false, null); // a read: never audited
            }
            String s = "session=0x" + Long.toHexString(session) + "\tuser=127.0.0.1,alice\tip=127.0.0.1\t";
            List<String> expected = List.of(
                    s + "operation=create\tznode=/a0000000000\tznode_type=persistent_sequential\tresult=success",
                    s + "operation=create\tznode=/e\tznode_type=ephemeral\tresult=success",
                    s + "operation=create\tznode=/m\tznode_type=persistent\tresult=success",
                    s + "operation=setData\tznode=/m\tresult=success",
                    s + "operation=multiOperation\tresult=failure",
                    "session=0x" + Long.toHexString(session) + "\tuser=" + System.getProperty("user.name")
                            + "\toperation=ephemeralZNodeDeletionOnSessionCloseOrExpire\tznode=/e\tresult=success");
            await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(audit)
                    && expected.stream().allMatch(Files.readString(audit)::contains));
            String lines = Files.readString(audit);
            assertTrue(lines.contains("ERROR o.a.z.a.Slf4jAuditLogger: " + s + "operation=multiOperation"), lines);
            assertTrue(lines.contains("operation=serverStart\tresult=success"), lines);
            assertFalse(lines.contains("getData") || lines.contains("/missing"), lines);
            assertFalse(server.output().contains("operation=create"), "audit lines stay out of the server log");
        }
    }
}
