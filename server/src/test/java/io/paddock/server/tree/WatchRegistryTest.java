package io.paddock.server.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paddock.protocol.WatcherType;
import org.junit.jupiter.api.Test;

/** The per-connection watch count stays exact through every way a watch comes and goes. */
class WatchRegistryTest {
    private final WatchRegistry registry = new WatchRegistry();
    private final Watcher a = () -> 1L;
    private final Watcher b = () -> 2L;

    @Test
    void addsCountOncePerKindAndPath() {
        registry.addDataWatch("/x", a);
        registry.addDataWatch("/x", a); // the same watch again adds nothing
        registry.addChildWatch("/x", a);
        registry.addPersistentWatch("/x", a);
        registry.addRecursiveWatch("/x", a);
        registry.addDataWatch("/x", b);
        assertEquals(4, registry.watchCountOf(a));
        assertEquals(1, registry.watchCountOf(b));
        assertEquals(5, registry.watchCount());
    }

    @Test
    void triggersConsumeOneShotsOnly() {
        registry.addDataWatch("/p/c", a);
        registry.addChildWatch("/p", a);
        registry.addChildWatch("/p/c", a);
        registry.addPersistentWatch("/p/c", a);
        registry.addRecursiveWatch("/p", a);
        assertEquals(5, registry.watchCountOf(a));

        registry.triggerDataEvent("/p/c"); // the data watch goes; persistent and recursive stay
        assertEquals(4, registry.watchCountOf(a));
        registry.triggerChildrenChanged("/p");
        assertEquals(3, registry.watchCountOf(a));
        registry.triggerDeleted("/p/c"); // its child watch goes
        assertEquals(2, registry.watchCountOf(a));
        registry.triggerDeleted("/nowhere");
        assertEquals(2, registry.watchCountOf(a));
    }

    @Test
    void removeWatchesCountsWhatWentOnly() {
        registry.addDataWatch("/x", a);
        registry.addChildWatch("/x", a);
        registry.addPersistentWatch("/y", a);
        assertEquals(false, registry.removeWatch("/x", WatcherType.PERSISTENT, a));
        assertEquals(3, registry.watchCountOf(a));
        registry.removeWatch("/x", WatcherType.ANY, a);
        assertEquals(1, registry.watchCountOf(a));
        registry.removeWatch("/y", WatcherType.PERSISTENT, a);
        assertEquals(0, registry.watchCountOf(a));
        registry.addDataWatch("/x", a); // the watcher's entry was dropped at zero; it starts again
        assertEquals(1, registry.watchCountOf(a));
    }

    @Test
    void removeAllForgetsTheConnectionAndNoOneElse() {
        for (int i = 0; i < 1000; i++) {
            registry.addDataWatch("/n" + i, a);
            registry.addChildWatch("/n" + i, b);
        }
        registry.removeAll(a);
        assertEquals(0, registry.watchCountOf(a));
        assertEquals(1000, registry.watchCountOf(b));
        assertEquals(1000, registry.watchCount());
        registry.triggerDeleted("/n7");
        assertEquals(999, registry.watchCountOf(b));
    }
}
