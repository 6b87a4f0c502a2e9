package io.paddock.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ConnectionStorm;
import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.SessionWorkload;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection storm against one server process with the connection throttle on: about 5,000
 * new connections a second for three seconds, while three existing sessions read and write. The
 * storm is shed (most attempts closed unanswered, each counted in connection_rejected) and every
 * operation of the existing sessions succeeds.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionStormIT {
    static final int STORM_PER_SECOND = 5000;
    static final Duration STORM_LENGTH = Duration.ofSeconds(3);

    @Test
    void theStormIsShedWhileExistingSessionsKeepWorking() throws Exception {
        try (ServerProcess server = ServerProcess.start(ConnectionStorm.THROTTLED).awaitServing();
             SessionWorkload work = new SessionWorkload("steady", List.of(server.connectString(),
                     server.connectString(), server.connectString()))) {
            work.awaitProgress(30, Duration.ofSeconds(20));
            long before = work.ops();
            ConnectionStorm.Result storm = ConnectionStorm.run(
                    List.of(new InetSocketAddress("127.0.0.1", server.port())), STORM_PER_SECOND, STORM_LENGTH, 16);
            long during = work.ops() - before;
            System.out.println("standalone connection storm: " + storm + "; the 3 existing sessions did " + during
                    + " operations meanwhile");
            work.awaitProgress(30, Duration.ofSeconds(20));
            assertEquals(List.of(), work.failures(), "every operation of the existing sessions succeeds");
            assertTrue(during > 0, "the existing sessions kept working during the storm");

            Map<String, String> mntr = ConnectionStorm.mntr("127.0.0.1", server.port());
            storm.assertShed(ConnectionStorm.mostAdmitted(storm), Long.parseLong(mntr.get("connection_rejected")));
            assertTrue(Double.parseDouble(mntr.get("connection_drop_probability")) > 0,
                    "the storm raised the random drop probability: " + mntr.get("connection_drop_probability"));

            // Once the storm has passed, the bucket refills and new clients get in again.
            try (ZooKeeper late = Clients.connect(server.connectString())) {
                assertNotNull(late.exists("/steady-0", false));
            }
        }
    }
}
