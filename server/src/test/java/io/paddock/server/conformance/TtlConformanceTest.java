package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.OpResult.CreateResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/** TTL nodes with extended types enabled (creation, reporting, argument checks). Reaping is not covered. */
@Timeout(60)
class TtlConformanceTest {
    static final long MAX_TTL = (1L << 40) - 1;

    private static ZkEnv start(String kind) {
        return ZkEnv.of(SpecialServers.withExtendedTypes(kind, Map.of()));
    }

    @BackendTest
    void ttlNodesReportOwnerZeroAndBehaveLikePersistentNodes(String kind) throws Exception {
        try (ZkEnv env = start(kind)) {
            ZooKeeper zk = env.client().zk();
            Stat stat = new Stat();
            assertEquals("/t", zk.create("/t", bytes("d"), OPEN, CreateMode.PERSISTENT_WITH_TTL, stat, 60_000));
            assertEquals(0L, stat.getEphemeralOwner());
            assertEquals(0, stat.getVersion());
            assertEquals(stat.getCzxid(), stat.getMzxid());
            assertEquals(1, stat.getDataLength());
            Keeper.assertStat(stat, zk.exists("/t", false));

            assertEquals("/t/s-0000000000",
                    zk.create("/t/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, stat, MAX_TTL));
            assertEquals(0L, stat.getEphemeralOwner());
            // TTL parents may hold ephemeral children.
            assertEquals("/t/e", zk.create("/t/e", null, OPEN, CreateMode.EPHEMERAL));
            assertEquals(Set.of("s-0000000000", "e"), Set.copyOf(zk.getChildren("/t", false)));
            assertEquals(1, zk.setData("/t", null, -1).getVersion());

            List<OpResult> results = zk.multi(List.of(Op.create("/m", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, 1000)));
            assertEquals(15, results.get(0).getType());
            CreateResult created = (CreateResult) results.get(0);
            assertEquals("/m", created.getPath());
            assertEquals(0L, created.getStat().getEphemeralOwner());
            assertEquals(List.of(), zk.getEphemerals("/t/s"));
        }
    }

    @BackendTest
    void ttlArgumentsAreCheckedOnTheWire(String kind) {
        try (ZkEnv env = start(kind)) {
            RawClient raw = env.rawSession();
            Object[][] cases = {
                {5, 0L, Err.BAD_ARGUMENTS},
                {5, -1L, Err.BAD_ARGUMENTS},
                {6, 0L, Err.BAD_ARGUMENTS},
                {5, MAX_TTL + 1, Err.BAD_ARGUMENTS},
                {5, Long.MAX_VALUE, Err.BAD_ARGUMENTS},
                {0, 1000L, Err.BAD_ARGUMENTS},
                {2, 1000L, Err.BAD_ARGUMENTS},
                {7, 1000L, Err.BAD_ARGUMENTS},
                {-1, 1000L, Err.BAD_ARGUMENTS},
            };
            for (Object[] c : cases) {
                RawReply reply = raw.call(OpCode.CREATE_TTL, Jute.createTtl("/x", null, (int) c[0], (long) c[1]));
                assertEquals((int) c[2], reply.err(), "flags " + c[0] + " ttl " + c[1]);
                assertEquals(0, reply.body().length);
            }
            // TTL flags through the opcodes that carry no ttl.
            for (int op : new int[] {OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER}) {
                for (int flags : new int[] {5, 6}) {
                    assertEquals(Err.BAD_ARGUMENTS, raw.call(op, Jute.create("/x", null, flags)).err(), "op " + op + " flags " + flags);
                }
            }
            assertEquals(Err.NO_NODE, raw.call(OpCode.EXISTS, Jute.pathWatch("/x", false)).err());

            RawReply ok = raw.call(OpCode.CREATE_TTL, Jute.createTtl("/max", null, 5, MAX_TTL));
            assertEquals(0, ok.err());
            JuteReader in = ok.reader();
            assertEquals("/max", in.str());
            RawStat stat = in.stat();
            assertEquals(0L, stat.ephemeralOwner());
            assertEquals(ok.zxid(), stat.czxid());
            assertEquals(0, in.remaining());

            RawReply seq = raw.call(OpCode.CREATE_TTL, Jute.createTtl("/seq-", null, 6, 1));
            assertEquals(0, seq.err());
            assertTrue(seq.reader().str().matches("/seq-\\d{10}"));
            // TTL creation obeys the usual create checks.
            assertEquals(Err.NODE_EXISTS, raw.call(OpCode.CREATE_TTL, Jute.createTtl("/max", null, 5, 10)).err());
            assertEquals(Err.NO_NODE, raw.call(OpCode.CREATE_TTL, Jute.createTtl("/no/parent", null, 5, 10)).err());
        }
    }
}
