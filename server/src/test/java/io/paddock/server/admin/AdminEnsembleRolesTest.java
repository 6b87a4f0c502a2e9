package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.testing.Clients;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three voters and an observer, each with its admin server and metrics endpoint: every command
 * answers JSON with its fields from each role, and each role's metrics say what that role does.
 */
@Timeout(120)
class AdminEnsembleRolesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MEMBERS = 4; // server.4 is the observer

    private Path dir;
    private final List<PaddockServer> servers = new ArrayList<>();

    @BeforeEach
    void startEnsemble() throws Exception {
        dir = Files.createTempDirectory("paddock-admin-roles");
        // Every port is chosen up front: a server binding port 0 while its peers start could be given
        // a quorum or election port reserved here for a later one.
        List<Integer> ports = Clients.freePorts(5 * MEMBERS);
        for (int id = 1; id <= MEMBERS; id++) {
            Path data = dir.resolve("s" + id);
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), id + "\n");
            Properties props = new Properties();
            props.setProperty("tickTime", "200");
            props.setProperty("initLimit", "20");
            props.setProperty("syncLimit", "10");
            props.setProperty("dataDir", data.toString());
            int own = 2 * MEMBERS + 3 * (id - 1); // client, admin, metrics ports of this server
            props.setProperty("clientPort", Integer.toString(ports.get(own)));
            props.setProperty("clientPortAddress", "127.0.0.1");
            props.setProperty("preAllocSize", "1024");
            for (int i = 1; i <= MEMBERS; i++) {
                props.setProperty("server." + i, "127.0.0.1:" + ports.get(2 * i - 2) + ":" + ports.get(2 * i - 1)
                        + (i == MEMBERS ? ":observer" : ""));
            }
            if (id == MEMBERS) {
                props.setProperty("peerType", "observer");
            }
            ServerConfig config = ServerConfig.parse(props, "roles test server " + id);
            servers.add(PaddockServer.start(config, new AdminConfig(true, "127.0.0.1", ports.get(own + 1), "/commands"),
                    new MetricsConfig(true, "127.0.0.1", ports.get(own + 2), false, 60)));
        }
    }

    @AfterEach
    void stopEnsemble() throws IOException {
        for (PaddockServer s : servers) {
            s.close();
        }
        AdminServerTest.deleteTree(dir);
    }

    @Test
    void everyRoleAnswersEveryCommandAndReportsItsMetrics() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (PaddockServer s : servers) {
                if (PrometheusPages.get(s.adminPort(), "/ready").statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
        ZooKeeper zk = Clients.connect(servers.get(0).clientPort());
        try {
            for (int i = 0; i < 20; i++) {
                zk.create("/r" + i, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        } finally {
            zk.close();
        }
        // Every member applies the writes (the observer too); then all figures are settled.
        double nodes = PrometheusPages.scrape(servers.get(0).metricsPort()).get("znode_count");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (PaddockServer s : servers) {
                if (PrometheusPages.scrape(s.metricsPort()).get("znode_count") != nodes) {
                    return false;
                }
            }
            return true;
        });
        int leaders = 0;
        long leaderId = -1;
        for (int i = 0; i < MEMBERS; i++) {
            PaddockServer s = servers.get(i);
            long id = i + 1;
            // Every command, by its primary name, answers JSON naming itself with no error.
            for (String name : AdminServer.commandNames()) {
                if (SnapshotCommand.NAMES.contains(name)) {
                    // It needs credentials (SnapshotCommandTest); without them every role refuses it alike.
                    HttpResponse<String> refused = PrometheusPages.get(s.adminPort(), "/commands/" + name);
                    assertEquals(401, refused.statusCode(), refused.body());
                    assertEquals("Auth info is missing for the command",
                            JSON.readTree(refused.body()).get("error").asText());
                    continue;
                }
                if (RestoreCommand.NAMES.contains(name)) {
                    // A POST with a stream (RestoreCommandIT); a GET is refused by every role alike.
                    assertEquals(405, PrometheusPages.get(s.adminPort(), "/commands/" + name).statusCode());
                    continue;
                }
                JsonNode json = command(s, name);
                assertTrue(json.get("error").isNull(), name + " on server " + id + ": " + json);
            }
            JsonNode mntr = command(s, "monitor");
            String state = mntr.get("server_state").asText();
            JsonNode lead = command(s, "leader");
            JsonNode zab = command(s, "zabstate");
            assertEquals("broadcast", zab.get("zabstate").asText(), zab.toString());
            assertEquals(id, zab.get("myid").asLong(), zab.toString());
            assertTrue(zab.get("last_zxid").asText().startsWith("0x"), zab.toString());
            assertEquals(id != MEMBERS, zab.get("voting").asBoolean(), zab.toString());
            assertEquals(MEMBERS, command(s, "voting_view").get("current_config").size());
            JsonNode conf = command(s, "configuration");
            assertEquals(id, conf.get("server_id").asLong(), conf.toString());
            JsonNode srvr = command(s, "server_stats");
            assertEquals((int) nodes, srvr.get("node_count").asInt(), srvr.toString());
            if (leaderId == -1) {
                leaderId = lead.get("leader_id").asLong();
            }
            assertEquals(leaderId, lead.get("leader_id").asLong(), "every member names the same leader");

            Map<String, Double> metrics = PrometheusPages.scrape(s.metricsPort());
            assertEquals(3.0, metrics.get("quorum_size"));
            assertEquals(1.0, metrics.get("paddock_serving"));
            assertEquals(nodes, metrics.get("znode_count"));
            assertTrue(metrics.get("election_time_count") >= 1, "server " + id + " took part in an election");
            switch (state) {
                case "leader" -> {
                    leaders++;
                    assertTrue(lead.get("is_leader").asBoolean());
                    assertEquals(MEMBERS - 1, mntr.get("learners").asInt(), mntr.toString());
                    assertEquals(2, mntr.get("synced_followers").asInt(), mntr.toString());
                    assertEquals(1, mntr.get("synced_observers").asInt(), mntr.toString());
                    assertEquals(MEMBERS - 1.0, metrics.get("learners"));
                    assertEquals(2.0, metrics.get("synced_followers"));
                    assertTrue(metrics.get("proposal_count") >= 20, metrics.toString());
                    assertTrue(metrics.get("commit_count") >= 20, metrics.toString());
                    // mntr carries the recorded metrics too, as Apache's default provider adds them.
                    assertTrue(mntr.get("commit_count").asLong() >= 20, mntr.toString());
                    assertTrue(mntr.get("cnt_fsynctime").asLong() > 0, mntr.toString());
                    assertTrue(mntr.has("p99_updatelatency") && mntr.has("avg_election_time"), mntr.toString());
                    assertEquals(0.0, metrics.get("learner_commit_received_count"));
                }
                case "follower", "observer" -> {
                    assertEquals(id == MEMBERS ? "observer" : "follower", state);
                    assertFalse(lead.get("is_leader").asBoolean());
                    assertFalse(mntr.has("learners"), "leader-only figures: " + mntr);
                    assertNull(metrics.get("learners"), "leader-only gauge on server " + id);
                    assertTrue(metrics.get("learner_commit_received_count") >= 20, metrics.toString());
                    assertTrue(metrics.get("learner_proposal_received_count") >= 20, metrics.toString());
                    assertEquals(0.0, metrics.get("commit_count"));
                    if (id == 1) {
                        // The client wrote through this server: its requests were timed here.
                        assertTrue(metrics.get("updatelatency_count") >= 20, metrics.toString());
                        assertTrue(metrics.get("propagation_latency_count") >= 20, metrics.toString());
                    }
                }
                default -> throw new AssertionError("server " + id + " in state " + state);
            }
            // Writes were fsynced on every member, observer included.
            assertTrue(metrics.get("fsynctime_count") > 0, "server " + id);
        }
        assertEquals(1, leaders);
    }

    private static JsonNode command(PaddockServer s, String name) throws IOException, InterruptedException {
        HttpResponse<String> resp = PrometheusPages.get(s.adminPort(), "/commands/" + name);
        assertEquals(200, resp.statusCode(), name + ": " + resp.body());
        JsonNode json = JSON.readTree(resp.body());
        assertEquals(name, json.path("command").asText(), resp.body());
        assertTrue(json.has("error"), resp.body());
        return json;
    }
}
