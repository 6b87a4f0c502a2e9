package io.paddock.client.recipes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.paddock.client.PaddockClient;
import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeaderElectionTest {
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool(Map.of("tickTime", "200"));
    private final Clients clients = new Clients();
    private final List<TcpProxy> proxies = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        clients.close();
        proxies.forEach(TcpProxy::close);
    }

    /** One participant: its own client behind its own proxy, so the test can kill it alone. */
    private record Participant(String id, PaddockClient client, TcpProxy proxy, LeaderElection election) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void thereIsAlwaysAtMostOneLeaderAndANewOneAfterEachDeath(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        String electionPath = "/election/" + UUID.randomUUID();
        AtomicInteger leaders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger elections = new AtomicInteger();
        List<Participant> alive = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TcpProxy proxy = new TcpProxy(server.port());
            proxies.add(proxy);
            PaddockClient client = clients.connect(proxy.connectString(), b -> b.sessionTimeout(Duration.ofMillis(2000)));
            LeaderElection election = new LeaderElection(client, electionPath, "p" + i, new LeaderElection.Listener() {
                @Override
                public void elected() {
                    elections.incrementAndGet();
                    if (leaders.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                }

                @Override
                public void revoked() {
                    leaders.decrementAndGet();
                }
            });
            alive.add(new Participant("p" + i, client, proxy, election.start()));
        }
        PaddockClient observer = clients.connect(server.connectString());
        LeaderElection watcherOnly = new LeaderElection(observer, electionPath, "observer", null);

        // Three deaths, each a different way: silence (the process hangs or the network
        // drops packets), a broken connection, and a clean exit.
        for (String death : List.of("silence", "cut", "close")) {
            Participant leader = awaitSingleLeader(alive, leaders);
            assertEquals(leader.id(), watcherOnly.leaderId());
            switch (death) {
                case "silence" -> leader.proxy().blackhole();
                case "cut" -> leader.proxy().cut();
                default -> leader.election().close();
            }
            alive.remove(leader);
            Participant successor = awaitSingleLeader(alive, leaders);
            assertNotEquals(leader.id(), successor.id());
            if (!death.equals("close")) {
                // The dead leader's session expired on the server: its node is gone.
                await().atMost(Duration.ofSeconds(10)).until(() -> !leader.election().isLeader());
            }
        }
        assertEquals(0, overlaps.get(), "two participants believed they led at the same time");
        assertEquals(1, leaders.get());
    }

    private static Participant awaitSingleLeader(List<Participant> alive, AtomicInteger leaders) {
        await().atMost(Duration.ofSeconds(15)).until(() ->
                alive.stream().filter(p -> p.election().isLeader()).count() == 1 && leaders.get() == 1);
        return alive.stream().filter(p -> p.election().isLeader()).findFirst().orElseThrow();
    }
}
