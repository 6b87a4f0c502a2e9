package io.paddock.client;

import static io.paddock.client.testing.EventLog.line;
import static io.paddock.protocol.EventType.CHILD_WATCH_REMOVED;
import static io.paddock.protocol.EventType.DATA_WATCH_REMOVED;
import static io.paddock.protocol.EventType.NODE_CHILDREN_CHANGED;
import static io.paddock.protocol.EventType.NODE_CREATED;
import static io.paddock.protocol.EventType.NODE_DATA_CHANGED;
import static io.paddock.protocol.EventType.NODE_DELETED;
import static io.paddock.protocol.EventType.PERSISTENT_WATCH_REMOVED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.client.testing.Clients;
import io.paddock.client.testing.EventLog;
import io.paddock.client.testing.ServerPool;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.WatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One-shot, persistent and recursive watches, fan-out and removal, on both servers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchesTest {
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
        return c.create("/watch-" + UUID.randomUUID(), null, CreateMode.PERSISTENT);
    }

    /**
     * Every event caused before this returns has been delivered: a marker watch fires after
     * them, since a connection's events arrive in order.
     */
    private static void drain(PaddockClient watcher, PaddockClient writer, String root) throws InterruptedException {
        EventLog marker = new EventLog();
        String path = root + "/marker-" + UUID.randomUUID();
        watcher.exists(path, marker);
        writer.create(path, null, CreateMode.PERSISTENT);
        marker.awaitCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void oneShotWatchesFireOnce(String kind) throws Exception {
        PaddockClient c = client(kind);
        PaddockClient other = client(kind);
        String root = root(c);
        String node = c.create(root + "/n", null, CreateMode.PERSISTENT);

        EventLog data = new EventLog();
        EventLog exist = new EventLog();
        EventLog child = new EventLog();
        c.getData(node, data);
        c.exists(root + "/later", exist);
        c.getChildren(node, child);

        other.setData(node, new byte[] {1}, -1);
        other.setData(node, new byte[] {2}, -1);
        other.create(root + "/later", null, CreateMode.PERSISTENT);
        other.create(node + "/kid", null, CreateMode.PERSISTENT);
        other.create(node + "/kid2", null, CreateMode.PERSISTENT);
        drain(c, other, root);

        assertEquals(List.of(line(NODE_DATA_CHANGED, node)), data.summary());
        assertEquals(List.of(line(NODE_CREATED, root + "/later")), exist.summary());
        assertEquals(List.of(line(NODE_CHILDREN_CHANGED, node)), child.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void deletionReachesDataAndChildWatchers(String kind) throws Exception {
        PaddockClient c = client(kind);
        PaddockClient other = client(kind);
        String root = root(c);
        String node = c.create(root + "/n", null, CreateMode.PERSISTENT);
        EventLog data = new EventLog();
        EventLog child = new EventLog();
        EventLog parent = new EventLog();
        c.exists(node, data);
        c.getChildren(node, child);
        c.getChildren(root, parent);
        other.delete(node, -1);
        assertEquals(List.of(line(NODE_DELETED, node)), data.awaitCount(1));
        assertEquals(List.of(line(NODE_DELETED, node)), child.awaitCount(1));
        assertEquals(List.of(line(NODE_CHILDREN_CHANGED, root)), parent.awaitCount(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void oneServerEventFansOutToEveryLocalWatcher(String kind) throws Exception {
        PaddockClient c = client(kind);
        PaddockClient other = client(kind);
        String root = root(c);
        String node = c.create(root + "/n", null, CreateMode.PERSISTENT);
        EventLog a = new EventLog();
        EventLog b = new EventLog();
        EventLog both = new EventLog();
        EventLog persistent = new EventLog();
        c.getData(node, a);
        c.exists(node, b);
        c.getData(node, both);
        c.exists(node, both);
        c.addWatch(node, persistent, AddWatchMode.PERSISTENT);

        other.setData(node, new byte[] {1}, -1);
        drain(c, other, root);
        assertEquals(List.of(line(NODE_DATA_CHANGED, node)), a.summary());
        assertEquals(List.of(line(NODE_DATA_CHANGED, node)), b.summary());
        assertEquals(List.of(line(NODE_DATA_CHANGED, node)), both.summary(), "one watcher, one event");
        assertEquals(List.of(line(NODE_DATA_CHANGED, node)), persistent.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void persistentWatchSeesEveryChangeOfItsNode(String kind) throws Exception {
        PaddockClient c = client(kind);
        PaddockClient other = client(kind);
        String root = root(c);
        String node = root + "/p";
        EventLog log = new EventLog();
        c.addWatch(node, log, AddWatchMode.PERSISTENT);
        other.create(node, null, CreateMode.PERSISTENT);
        other.setData(node, new byte[] {1}, -1);
        other.create(node + "/kid", null, CreateMode.PERSISTENT);
        other.setData(node + "/kid", new byte[] {1}, -1);
        other.delete(node + "/kid", -1);
        other.delete(node, -1);
        other.create(node, null, CreateMode.PERSISTENT);
        assertEquals(List.of(line(NODE_CREATED, node), line(NODE_DATA_CHANGED, node), line(NODE_CHILDREN_CHANGED, node),
                line(NODE_CHILDREN_CHANGED, node), line(NODE_DELETED, node), line(NODE_CREATED, node)), log.awaitCount(6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void recursiveWatchCoversTheSubtree(String kind) throws Exception {
        PaddockClient c = client(kind);
        PaddockClient other = client(kind);
        String root = root(c);
        String top = other.create(root + "/top", null, CreateMode.PERSISTENT);
        EventLog log = new EventLog();
        c.addWatch(top, log, AddWatchMode.PERSISTENT_RECURSIVE);
        other.create(top + "/a", null, CreateMode.PERSISTENT);
        other.create(top + "/a/b", null, CreateMode.PERSISTENT);
        other.setData(top + "/a/b", new byte[] {1}, -1);
        other.delete(top + "/a/b", -1);
        other.setData(top, new byte[] {1}, -1);
        assertEquals(List.of(line(NODE_CREATED, top + "/a"), line(NODE_CREATED, top + "/a/b"),
                line(NODE_DATA_CHANGED, top + "/a/b"), line(NODE_DELETED, top + "/a/b"), line(NODE_DATA_CHANGED, top)),
                log.awaitCount(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void removedWatchersAreToldAndHearNothingMore(String kind) throws Exception {
        PaddockClient c = client(kind);
        PaddockClient other = client(kind);
        String root = root(c);
        String node = c.create(root + "/n", null, CreateMode.PERSISTENT);
        EventLog data = new EventLog();
        EventLog kept = new EventLog();
        EventLog child = new EventLog();
        EventLog persistent = new EventLog();
        c.getData(node, data);
        c.getData(node, kept);
        c.getChildren(node, child);
        c.addWatch(node, persistent, AddWatchMode.PERSISTENT_RECURSIVE);

        c.removeWatch(node, data, WatcherType.DATA);
        c.removeWatchAsync(node, child, WatcherType.CHILDREN).get(10, TimeUnit.SECONDS);
        c.removeAllWatches(node, WatcherType.PERSISTENT_RECURSIVE);
        assertEquals(List.of(line(DATA_WATCH_REMOVED, node)), data.awaitCount(1));
        assertEquals(List.of(line(CHILD_WATCH_REMOVED, node)), child.awaitCount(1));
        assertEquals(List.of(line(PERSISTENT_WATCH_REMOVED, node)), persistent.awaitCount(1));

        PaddockException none = assertThrows(PaddockException.class, () -> c.removeWatch(node, data, WatcherType.DATA));
        assertEquals(ErrorCode.NO_WATCHER, none.code());
        assertEquals(node, none.path());

        other.setData(node, new byte[] {1}, -1);
        other.create(node + "/kid", null, CreateMode.PERSISTENT);
        drain(c, other, root);
        assertEquals(1, data.size());
        assertEquals(1, child.size());
        assertEquals(1, persistent.size());
        assertEquals(List.of(line(NODE_DATA_CHANGED, node)), kept.summary());

        // ANY clears every kind at once.
        EventLog any = new EventLog();
        c.getData(node, any);
        c.getChildren(node, any);
        c.removeAllWatchesAsync(node, WatcherType.ANY).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(line(DATA_WATCH_REMOVED, node), line(CHILD_WATCH_REMOVED, node)), any.awaitCount(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void eventComesBeforeTheReplyOfTheWriteThatCausedIt(String kind) throws Exception {
        PaddockClient c = client(kind);
        String root = root(c);
        String node = c.create(root + "/n", null, CreateMode.PERSISTENT);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        c.getData(node, e -> seen.add("event"));
        c.setDataAsync(node, new byte[] {1}, -1).thenRun(() -> seen.add("reply")).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("event", "reply"), seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void watchersMayMakeBlockingCalls(String kind) throws Exception {
        PaddockClient c = client(kind);
        PaddockClient other = client(kind);
        String root = root(c);
        String node = c.create(root + "/n", null, CreateMode.PERSISTENT);
        List<byte[]> reads = Collections.synchronizedList(new ArrayList<>());
        Watcher rereader = new Watcher() {
            @Override
            public void process(WatchedEvent event) {
                try {
                    reads.add(c.getData(node, this).data());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        c.getData(node, rereader);
        other.setData(node, new byte[] {1}, -1);
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.size() == 1);
        other.setData(node, new byte[] {2}, -1);
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.size() == 2);
        assertArrayEquals(new byte[] {2}, reads.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void chrootedWatchersSeeTheirOwnPaths(String kind) throws Exception {
        PaddockClient plain = client(kind);
        String base = root(plain);
        PaddockClient rooted = clients.connect(SERVERS.get(kind).connectString() + base);
        EventLog exist = new EventLog();
        EventLog recursive = new EventLog();
        EventLog children = new EventLog();
        rooted.exists("/x", exist);
        rooted.addWatch("/", recursive, AddWatchMode.PERSISTENT_RECURSIVE);
        rooted.getChildren("/", children);
        plain.create(base + "/x", null, CreateMode.PERSISTENT);
        assertEquals(List.of(line(NODE_CREATED, "/x")), exist.awaitCount(1));
        assertEquals(List.of(line(NODE_CREATED, "/x")), recursive.awaitCount(1));
        assertEquals(List.of(line(NODE_CHILDREN_CHANGED, "/")), children.awaitCount(1));
    }
}
