package io.paddock.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.TestServer;
import io.paddock.protocol.ACL;
import io.paddock.protocol.Acls;
import io.paddock.protocol.ClientInfo;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Stat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every operation, blocking and async, against a real Paddock and a real Apache ZooKeeper. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperationsTest {
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool();
    private final Clients clients = new Clients();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private PaddockClient client(String kind) {
        return clients.connect(SERVERS.get(kind).connectString());
    }

    private static String root(PaddockClient c) throws InterruptedException {
        return c.create("/ops-" + UUID.randomUUID(), null, CreateMode.PERSISTENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void createReadUpdateDelete(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);
        String path = c.create(root + "/a", "one".getBytes(UTF_8), CreateMode.PERSISTENT);
        assertEquals(root + "/a", path);

        NodeData read = c.getData(path);
        assertArrayEquals("one".getBytes(UTF_8), read.data());
        assertEquals(0, read.stat().version());
        assertEquals(3, read.stat().dataLength());

        Stat after = c.setData(path, "two".getBytes(UTF_8), 0);
        assertEquals(1, after.version());
        PaddockException bad = assertThrows(PaddockException.class, () -> c.setData(path, new byte[0], 0));
        assertEquals(ErrorCode.BAD_VERSION, bad.code());
        assertEquals(path, bad.path());
        assertEquals("KeeperErrorCode = BadVersion for " + path, bad.getMessage());

        assertNotNull(c.exists(path));
        assertNull(c.exists(root + "/missing"));
        PaddockException noNode = assertThrows(PaddockException.class, () -> c.getData(root + "/missing"));
        assertEquals(ErrorCode.NO_NODE, noNode.code());
        assertEquals(root + "/missing", noNode.path());

        c.create(path + "/child", null, CreateMode.PERSISTENT);
        assertEquals(ErrorCode.NOT_EMPTY, assertThrows(PaddockException.class, () -> c.delete(path, -1)).code());
        assertEquals(ErrorCode.NODE_EXISTS,
                assertThrows(PaddockException.class, () -> c.create(path, null, CreateMode.PERSISTENT)).code());
        c.delete(path + "/child", 0);
        assertEquals(ErrorCode.BAD_VERSION, assertThrows(PaddockException.class, () -> c.delete(path, 0)).code());
        c.delete(path, 1);
        assertNull(c.exists(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void nullAndEmptyDataStayDistinct(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);
        c.create(root + "/null", null, CreateMode.PERSISTENT);
        c.create(root + "/empty", new byte[0], CreateMode.PERSISTENT);
        assertNull(c.getData(root + "/null").data());
        assertArrayEquals(new byte[0], c.getData(root + "/empty").data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void createModes(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);

        String eph = c.create(root + "/eph", null, CreateMode.EPHEMERAL);
        assertEquals(c.sessionId(), c.exists(eph).ephemeralOwner());
        assertEquals(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS,
                assertThrows(PaddockException.class, () -> c.create(eph + "/x", null, CreateMode.PERSISTENT)).code());

        String s1 = c.create(root + "/seq-", null, CreateMode.PERSISTENT_SEQUENTIAL);
        String s2 = c.create(root + "/seq-", null, CreateMode.EPHEMERAL_SEQUENTIAL);
        assertTrue(s1.matches(".*/seq-\\d{10}"), s1);
        assertTrue(s2.compareTo(s1) > 0, s1 + " then " + s2);
        assertEquals(c.sessionId(), c.exists(s2).ephemeralOwner());

        Created withStat = c.createWithStat(root + "/stat", "x".getBytes(UTF_8), Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEquals(root + "/stat", withStat.path());
        assertEquals(1, withStat.stat().dataLength());
        assertEquals(withStat.stat(), c.exists(root + "/stat"));

        String container = c.create(root + "/container", null, CreateMode.CONTAINER);
        assertEquals(0, c.exists(container).ephemeralOwner());

        Created ttl = c.createTtl(root + "/ttl", null, Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000);
        assertEquals(0, ttl.stat().ephemeralOwner());
        assertThrows(IllegalArgumentException.class, () -> c.create(root + "/t2", null, CreateMode.PERSISTENT_WITH_TTL));

        assertEquals(List.of(eph, s2), sorted(c.getEphemerals(root)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void childrenAndCounts(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);
        for (String name : List.of("b", "a", "c")) {
            c.create(root + "/" + name, null, CreateMode.PERSISTENT);
        }
        c.create(root + "/a/deep", null, CreateMode.PERSISTENT);
        assertEquals(List.of("a", "b", "c"), sorted(c.getChildren(root)));
        ChildList withStat = c.getChildrenWithStat(root, null);
        assertEquals(List.of("a", "b", "c"), sorted(withStat.children()));
        assertEquals(3, withStat.stat().numChildren());
        assertEquals(4, c.getAllChildrenNumber(root));
        assertEquals(ErrorCode.NO_NODE, assertThrows(PaddockException.class, () -> c.getChildren(root + "/zz")).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aclsSyncAndWhoAmI(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);
        NodeAcl acl = c.getACL(root);
        assertEquals(Acls.OPEN_ACL_UNSAFE, acl.acl());
        assertEquals(ErrorCode.BAD_VERSION,
                assertThrows(PaddockException.class, () -> c.setACL(root, Acls.OPEN_ACL_UNSAFE, 3)).code());
        Stat stat = c.setACL(root, Acls.READ_ACL_UNSAFE, 0);
        assertEquals(1, stat.aversion());
        assertEquals(ErrorCode.NO_AUTH,
                assertThrows(PaddockException.class, () -> c.create(root + "/x", null, CreateMode.PERSISTENT)).code());
        c.sync(root);
        List<ClientInfo> me = c.whoAmI();
        assertTrue(me.stream().anyMatch(i -> i.authScheme().equals("ip")), me.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void transactionAppliesAllOrNothing(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);
        c.create(root + "/a", "1".getBytes(UTF_8), CreateMode.PERSISTENT);

        List<MultiResult> ok = c.transaction()
                .create(root + "/b", null, CreateMode.PERSISTENT)
                .create(root + "/s-", null, CreateMode.PERSISTENT_SEQUENTIAL)
                .setData(root + "/a", "2".getBytes(UTF_8), 0)
                .check(root + "/a", 1)
                .delete(root + "/b", 0)
                .commit();
        assertEquals(5, ok.size());
        assertEquals(root + "/b", assertInstanceOf(MultiResult.CreateResult.class, ok.get(0)).path());
        assertTrue(assertInstanceOf(MultiResult.CreateResult.class, ok.get(1)).path().startsWith(root + "/s-"));
        assertEquals(1, assertInstanceOf(MultiResult.SetDataResult.class, ok.get(2)).stat().version());
        assertInstanceOf(MultiResult.CheckResult.class, ok.get(3));
        assertInstanceOf(MultiResult.DeleteResult.class, ok.get(4));

        PaddockException failed = assertThrows(PaddockException.class, () -> c.transaction()
                .create(root + "/c", null, CreateMode.PERSISTENT)
                .check(root + "/a", 99)
                .setData(root + "/a", "3".getBytes(UTF_8), -1)
                .commit());
        assertEquals(ErrorCode.BAD_VERSION, failed.code());
        assertEquals(root + "/a", failed.path());
        assertEquals(List.of(new MultiResult.ErrorResult(ErrorCode.OK), new MultiResult.ErrorResult(ErrorCode.BAD_VERSION),
                new MultiResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY)), failed.results());
        assertNull(c.exists(root + "/c"));
        assertArrayEquals("2".getBytes(UTF_8), c.getData(root + "/a").data());

        assertEquals(List.of(), c.transaction().commit());
        List<MultiResult> async = c.transaction().delete(root + "/a", -1).commitAsync().get(10, TimeUnit.SECONDS);
        assertInstanceOf(MultiResult.DeleteResult.class, async.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void multiReadReportsEachRead(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);
        c.create(root + "/a", "x".getBytes(UTF_8), CreateMode.PERSISTENT);
        c.create(root + "/a/k", null, CreateMode.PERSISTENT);
        List<MultiResult> results = c.multiRead().getData(root + "/a").getChildren(root + "/a").getData(root + "/nope").execute();
        assertArrayEquals("x".getBytes(UTF_8), assertInstanceOf(MultiResult.GetDataResult.class, results.get(0)).data());
        assertEquals(List.of("k"), assertInstanceOf(MultiResult.GetChildrenResult.class, results.get(1)).children());
        assertEquals(new MultiResult.ErrorResult(ErrorCode.NO_NODE), results.get(2));
        assertEquals(3, c.multiRead().getData(root).getData(root).getData(root).executeAsync().get(10, TimeUnit.SECONDS).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void asyncFormsAndOrderedCompletion(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = c.createAsync("/async-" + UUID.randomUUID(), null, CreateMode.PERSISTENT).get(10, TimeUnit.SECONDS);
        String node = c.createAsync(root + "/n", new byte[] {0}, Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).join();
        assertNotNull(c.existsAsync(node).join());
        assertNull(c.existsAsync(root + "/zz").join());
        assertEquals(1, c.setDataAsync(node, new byte[] {1}, 0).join().version());
        assertArrayEquals(new byte[] {1}, c.getDataAsync(node).join().data());
        assertEquals(List.of("n"), c.getChildrenAsync(root).join());
        assertEquals(1, c.getChildrenWithStatAsync(root, null).join().stat().numChildren());
        assertEquals(1, c.getAllChildrenNumberAsync(root).join());
        assertEquals(Acls.OPEN_ACL_UNSAFE, c.getACLAsync(node).join().acl());
        assertEquals(1, c.setACLAsync(node, Acls.OPEN_ACL_UNSAFE, -1).join().aversion());
        c.syncAsync(node).join();
        assertTrue(c.whoAmIAsync().join().size() >= 1);
        assertEquals(List.of(), c.getEphemeralsAsync(root).join());
        assertEquals(root + "/w", c.createWithStatAsync(root + "/w", null, Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).join().path());
        assertEquals(root + "/t", c.createTtlAsync(root + "/t", null, Acls.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 10_000).join().path());

        CompletionException failure = assertThrows(CompletionException.class, () -> c.deleteAsync(root + "/zz", -1).join());
        PaddockException cause = assertInstanceOf(PaddockException.class, failure.getCause());
        assertEquals(ErrorCode.NO_NODE, cause.code());
        assertEquals(root + "/zz", cause.path());

        // Many requests in flight at once: each completes after every earlier one.
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            CompletableFuture<?> f = switch (i % 3) {
                case 0 -> c.setDataAsync(node, new byte[] {(byte) i}, -1);
                case 1 -> c.getDataAsync(node);
                default -> c.getDataAsync(root + "/missing");
            };
            all.add(f.handle((v, e) -> order.add(n)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
        c.deleteAsync(node, -1).join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void chrootIsInvisibleToTheCaller(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        PaddockClient plain = client(kind);
        String base = root(plain);
        PaddockClient rooted = clients.connect(server.connectString() + base);

        assertEquals("/a", rooted.create("/a", "x".getBytes(UTF_8), CreateMode.PERSISTENT));
        assertArrayEquals("x".getBytes(UTF_8), plain.getData(base + "/a").data());
        assertEquals(List.of("a"), rooted.getChildren("/"));
        String seq = rooted.create("/a/s-", null, CreateMode.EPHEMERAL_SEQUENTIAL);
        assertTrue(seq.startsWith("/a/s-"), seq);
        assertEquals(List.of(seq), rooted.getEphemerals("/"));
        assertEquals(List.of(seq), rooted.getEphemerals("/a/s"));
        List<MultiResult> results = rooted.transaction().create("/b", null, CreateMode.PERSISTENT).commit();
        assertEquals("/b", ((MultiResult.CreateResult) results.get(0)).path());
        PaddockException e = assertThrows(PaddockException.class, () -> rooted.getData("/nope"));
        assertEquals("/nope", e.path());
        assertNotNull(rooted.exists("/"));
        // The membership is read outside the chroot (a standalone server publishes none).
        assertNotNull(rooted.getConfig(null).stat());
        assertThrows(PaddockException.class, () -> rooted.getData("/zookeeper/config"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void badArgumentsAreRejectedBeforeSending(String kind) throws Exception {
        PaddockClient c = client(kind);
        assertThrows(IllegalArgumentException.class, () -> c.getData("no-slash"));
        assertThrows(IllegalArgumentException.class, () -> c.create("/a/", null, CreateMode.PERSISTENT));
        assertThrows(IllegalArgumentException.class, () -> c.existsAsync("/a/../b"));
        assertThrows(IllegalArgumentException.class, () -> c.create("/a", null, List.<ACL>of(), CreateMode.PERSISTENT));
        assertThrows(IllegalArgumentException.class, () -> c.create("/big", new byte[2 * 1024 * 1024], CreateMode.PERSISTENT));
        assertThrows(IllegalArgumentException.class, () -> PaddockClient.builder("127.0.0.1:99999"));
        // A sequential create may end in a slash: the server appends the counter.
        String root = root(c);
        assertTrue(c.create(root + "/", null, CreateMode.PERSISTENT_SEQUENTIAL).matches(".*/\\d{10}"));
        assertEquals(ErrorCode.INVALID_ACL, assertThrows(PaddockException.class, () ->
                c.create(root + "/x", null, List.of(new ACL(Perms.ALL, new io.paddock.protocol.Id("world", "nobody"))),
                        CreateMode.PERSISTENT)).code());
    }

    private static List<String> sorted(List<String> in) {
        List<String> out = new ArrayList<>(in);
        Collections.sort(out);
        return out;
    }
}
