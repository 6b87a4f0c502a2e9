package io.paddock.server.tree;

import io.paddock.protocol.PathRules;
import io.paddock.protocol.WatcherType;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every watch held by every connection: one-shot data/exist and child watches, persistent and
 * persistent-recursive watches. Triggering returns the connections to notify, one entry per
 * connection per step, and consumes the one-shot watches that matched. Apply thread only.
 */
public final class WatchRegistry {
    private enum Kind { DATA, CHILD, PERSISTENT, RECURSIVE }

    private final Map<String, Set<Watcher>> data = new HashMap<>();
    private final Map<String, Set<Watcher>> child = new HashMap<>();
    private final Map<String, Set<Watcher>> persistent = new HashMap<>();
    private final Map<String, Set<Watcher>> recursive = new HashMap<>();
    private final Map<Watcher, Held> byWatcher = new LinkedHashMap<>();

    /**
     * What one connection watches, per kind, with the total kept beside it so that the
     * per-session limit costs a lookup, not a walk over the sets.
     */
    private static final class Held {
        final Map<Kind, Set<String>> paths = new HashMap<>(4);
        int count;
    }

    private Map<String, Set<Watcher>> table(Kind kind) {
        return switch (kind) {
            case DATA -> data;
            case CHILD -> child;
            case PERSISTENT -> persistent;
            case RECURSIVE -> recursive;
        };
    }

    private void add(Kind kind, String path, Watcher w) {
        table(kind).computeIfAbsent(path, p -> new LinkedHashSet<>(2)).add(w);
        Held held = byWatcher.computeIfAbsent(w, k -> new Held());
        if (held.paths.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(path)) {
            held.count++;
        }
    }

    private boolean remove(Kind kind, String path, Watcher w) {
        Map<String, Set<Watcher>> table = table(kind);
        Set<Watcher> set = table.get(path);
        if (set == null || !set.remove(w)) {
            return false;
        }
        if (set.isEmpty()) {
            table.remove(path);
        }
        forget(w, kind, path);
        return true;
    }

    /** Drops a path from a watcher's own index of what it watches. */
    private void forget(Watcher w, Kind kind, String path) {
        Held held = byWatcher.get(w);
        Set<String> paths = held.paths.get(kind);
        if (paths.remove(path)) {
            held.count--;
        }
        if (paths.isEmpty()) {
            held.paths.remove(kind);
            if (held.paths.isEmpty()) {
                byWatcher.remove(w);
            }
        }
    }

    private boolean has(Kind kind, String path, Watcher w) {
        Set<Watcher> set = table(kind).get(path);
        return set != null && set.contains(w);
    }

    /** A one-shot data watch (getData, exists on an existing node) or exist watch (exists on a missing one). */
    public void addDataWatch(String path, Watcher w) {
        add(Kind.DATA, path, w);
    }

    public void addChildWatch(String path, Watcher w) {
        add(Kind.CHILD, path, w);
    }

    public void addPersistentWatch(String path, Watcher w) {
        add(Kind.PERSISTENT, path, w);
    }

    public void addRecursiveWatch(String path, Watcher w) {
        add(Kind.RECURSIVE, path, w);
    }

    /** Whether the connection holds a watch of the type on the path (checkWatches). */
    public boolean hasWatch(String path, WatcherType type, Watcher w) {
        return switch (type) {
            case CHILDREN -> has(Kind.CHILD, path, w);
            case DATA -> has(Kind.DATA, path, w);
            case PERSISTENT -> has(Kind.PERSISTENT, path, w);
            case PERSISTENT_RECURSIVE -> has(Kind.RECURSIVE, path, w);
            case ANY -> has(Kind.CHILD, path, w) || has(Kind.DATA, path, w)
                    || has(Kind.PERSISTENT, path, w) || has(Kind.RECURSIVE, path, w);
        };
    }

    /** Removes the connection's watches of the type on the path; false when there was none. */
    public boolean removeWatch(String path, WatcherType type, Watcher w) {
        return switch (type) {
            case CHILDREN -> remove(Kind.CHILD, path, w);
            case DATA -> remove(Kind.DATA, path, w);
            case PERSISTENT -> remove(Kind.PERSISTENT, path, w);
            case PERSISTENT_RECURSIVE -> remove(Kind.RECURSIVE, path, w);
            case ANY -> remove(Kind.CHILD, path, w) | remove(Kind.DATA, path, w)
                    | remove(Kind.PERSISTENT, path, w) | remove(Kind.RECURSIVE, path, w);
        };
    }

    /** Drops every watch of a connection that went away. */
    public void removeAll(Watcher w) {
        Held held = byWatcher.remove(w);
        if (held == null) {
            return;
        }
        for (Map.Entry<Kind, Set<String>> e : held.paths.entrySet()) {
            Map<String, Set<Watcher>> table = table(e.getKey());
            for (String path : e.getValue()) {
                Set<Watcher> set = table.get(path);
                if (set != null) {
                    set.remove(w);
                    if (set.isEmpty()) {
                        table.remove(path);
                    }
                }
            }
        }
    }

    private void consumeOneShots(Map<String, Set<Watcher>> table, Kind kind, String path, Set<Watcher> into) {
        Set<Watcher> set = table.remove(path);
        if (set == null) {
            return;
        }
        for (Watcher w : set) {
            into.add(w);
            forget(w, kind, path);
        }
    }

    private void addRecursiveFor(String path, Set<Watcher> into) {
        if (recursive.isEmpty()) {
            return;
        }
        String p = path;
        while (true) {
            Set<Watcher> set = recursive.get(p);
            if (set != null) {
                into.addAll(set);
            }
            if (p.equals("/")) {
                return;
            }
            p = PathRules.parent(p);
        }
    }

    /** NodeCreated or NodeDataChanged on a path: who to tell (one-shot data/exist watches consumed). */
    public Set<Watcher> triggerDataEvent(String path) {
        if (data.isEmpty() && persistent.isEmpty() && recursive.isEmpty()) {
            return Set.of();
        }
        Set<Watcher> out = new LinkedHashSet<>();
        consumeOneShots(data, Kind.DATA, path, out);
        Set<Watcher> p = persistent.get(path);
        if (p != null) {
            out.addAll(p);
        }
        addRecursiveFor(path, out);
        return out;
    }

    /** NodeDeleted on a path: data, child, persistent and recursive watchers, one-shots consumed. */
    public Set<Watcher> triggerDeleted(String path) {
        if (data.isEmpty() && child.isEmpty() && persistent.isEmpty() && recursive.isEmpty()) {
            return Set.of();
        }
        Set<Watcher> out = new LinkedHashSet<>();
        consumeOneShots(data, Kind.DATA, path, out);
        Set<Watcher> p = persistent.get(path);
        if (p != null) {
            out.addAll(p);
        }
        addRecursiveFor(path, out);
        consumeOneShots(child, Kind.CHILD, path, out);
        return out;
    }

    /** NodeChildrenChanged on a parent: one-shot child watchers (consumed) and persistent watchers. */
    public Set<Watcher> triggerChildrenChanged(String parentPath) {
        if (child.isEmpty() && persistent.isEmpty()) {
            return Set.of();
        }
        Set<Watcher> out = new LinkedHashSet<>();
        consumeOneShots(child, Kind.CHILD, parentPath, out);
        Set<Watcher> p = persistent.get(parentPath);
        if (p != null) {
            out.addAll(p);
        }
        return out;
    }

    // ---- figures for the wchs / wchc / wchp four-letter words (data-side watches) ----

    /** Paths with a data-side watch (one-shot data, persistent or recursive) per connection. */
    public Map<Watcher, Set<String>> dataWatchesByConnection() {
        Map<Watcher, Set<String>> out = new LinkedHashMap<>();
        for (Map.Entry<Watcher, Held> e : byWatcher.entrySet()) {
            Set<String> paths = new LinkedHashSet<>();
            for (Kind k : new Kind[] {Kind.DATA, Kind.PERSISTENT, Kind.RECURSIVE}) {
                paths.addAll(e.getValue().paths.getOrDefault(k, Set.of()));
            }
            if (!paths.isEmpty()) {
                out.put(e.getKey(), paths);
            }
        }
        return out;
    }

    /** Connections holding a data-side watch, per path. */
    public Map<String, Set<Watcher>> dataWatchesByPath() {
        Map<String, Set<Watcher>> out = new LinkedHashMap<>();
        for (Map<String, Set<Watcher>> table : java.util.List.of(data, persistent, recursive)) {
            for (Map.Entry<String, Set<Watcher>> e : table.entrySet()) {
                out.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).addAll(e.getValue());
            }
        }
        return out;
    }

    /**
     * Watches of every kind the connection holds: one per (kind, path), so a data and a child
     * watch on one path are two; kept exact on add, remove, trigger and {@link #removeAll}.
     */
    public int watchCountOf(Watcher w) {
        Held held = byWatcher.get(w);
        return held == null ? 0 : held.count;
    }

    /** Total number of watches of every kind. */
    public int watchCount() {
        int n = 0;
        for (Map<String, Set<Watcher>> table : java.util.List.of(data, child, persistent, recursive)) {
            for (Set<Watcher> s : table.values()) {
                n += s.size();
            }
        }
        return n;
    }

}
