package io.paddock.client;

import io.paddock.protocol.EventType;
import io.paddock.protocol.WatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's own record of who watches what, keyed by client paths (chroot removed). The
 * server sends one event per connection per change; this class fans it out to every local
 * watcher it concerns and forgets the one-shot ones. Used only on the network thread.
 */
final class WatchManager {

    /** The five kinds of watch a client can hold. */
    enum Kind {
        /** One-shot, from getData or from exists on a node that exists. */
        DATA,
        /** One-shot, from exists on a node that does not exist. */
        EXIST,
        /** One-shot, from getChildren. */
        CHILD,
        PERSISTENT,
        PERSISTENT_RECURSIVE
    }

    /** Watchers removed by a removeWatches call and the server-side watch types now unused. */
    record Removal(List<Watcher> dataRemoved, List<Watcher> childRemoved, List<Watcher> persistentRemoved,
                   Set<WatcherType> serverTypesToClear) {
        boolean isEmpty() {
            return dataRemoved.isEmpty() && childRemoved.isEmpty() && persistentRemoved.isEmpty();
        }
    }

    private final Map<Kind, Map<String, Set<Watcher>>> byKind = new HashMap<>();

    WatchManager() {
        for (Kind kind : Kind.values()) {
            byKind.put(kind, new HashMap<>());
        }
    }

    void add(Kind kind, String path, Watcher watcher) {
        byKind.get(kind).computeIfAbsent(path, p -> new LinkedHashSet<>()).add(watcher);
    }

    /** Paths held for a kind, for re-registration with setWatches. */
    List<String> paths(Kind kind) {
        return new ArrayList<>(byKind.get(kind).keySet());
    }

    boolean isEmpty() {
        return byKind.values().stream().allMatch(Map::isEmpty);
    }

    void clear() {
        byKind.values().forEach(Map::clear);
    }

    /**
     * The watchers one server event concerns, each once, in a stable order. One-shot watchers
     * are removed; persistent ones stay.
     */
    List<Watcher> materialize(EventType type, String path) {
        Set<Watcher> out = new LinkedHashSet<>();
        switch (type) {
            case NODE_CREATED, NODE_DATA_CHANGED -> {
                take(Kind.DATA, path, out);
                take(Kind.EXIST, path, out);
                keep(Kind.PERSISTENT, path, out);
                recursive(path, out);
            }
            case NODE_DELETED -> {
                take(Kind.DATA, path, out);
                take(Kind.EXIST, path, out);
                take(Kind.CHILD, path, out);
                keep(Kind.PERSISTENT, path, out);
                recursive(path, out);
            }
            case NODE_CHILDREN_CHANGED -> {
                take(Kind.CHILD, path, out);
                keep(Kind.PERSISTENT, path, out);
            }
            default -> {
                // Other types never come from a server.
            }
        }
        return List.copyOf(out);
    }

    private void take(Kind kind, String path, Set<Watcher> out) {
        Set<Watcher> set = byKind.get(kind).remove(path);
        if (set != null) {
            out.addAll(set);
        }
    }

    private void keep(Kind kind, String path, Set<Watcher> out) {
        Set<Watcher> set = byKind.get(kind).get(path);
        if (set != null) {
            out.addAll(set);
        }
    }

    /** Recursive watchers on the path itself and on every ancestor. */
    private void recursive(String path, Set<Watcher> out) {
        Map<String, Set<Watcher>> map = byKind.get(Kind.PERSISTENT_RECURSIVE);
        if (map.isEmpty()) {
            return;
        }
        String p = path;
        while (true) {
            Set<Watcher> set = map.get(p);
            if (set != null) {
                out.addAll(set);
            }
            if (p.equals("/")) {
                return;
            }
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "/" : p.substring(0, slash);
        }
    }

    /**
     * Removes {@code watcher} (or, when null, every watcher) of the given type from the path.
     * DATA covers data and exist watches, PERSISTENT and PERSISTENT_RECURSIVE their own kind,
     * ANY all five.
     */
    Removal remove(String path, Watcher watcher, WatcherType type) {
        EnumSet<Kind> kinds = switch (type) {
            case DATA -> EnumSet.of(Kind.DATA, Kind.EXIST);
            case CHILDREN -> EnumSet.of(Kind.CHILD);
            case PERSISTENT -> EnumSet.of(Kind.PERSISTENT);
            case PERSISTENT_RECURSIVE -> EnumSet.of(Kind.PERSISTENT_RECURSIVE);
            case ANY -> EnumSet.allOf(Kind.class);
        };
        Set<Watcher> data = new LinkedHashSet<>();
        Set<Watcher> child = new LinkedHashSet<>();
        Set<Watcher> persistent = new LinkedHashSet<>();
        Set<Kind> emptied = EnumSet.noneOf(Kind.class);
        for (Kind kind : kinds) {
            Map<String, Set<Watcher>> map = byKind.get(kind);
            Set<Watcher> set = map.get(path);
            if (set == null) {
                continue;
            }
            Set<Watcher> target = switch (kind) {
                case DATA, EXIST -> data;
                case CHILD -> child;
                case PERSISTENT, PERSISTENT_RECURSIVE -> persistent;
            };
            if (watcher == null) {
                target.addAll(set);
                set.clear();
            } else if (set.remove(watcher)) {
                target.add(watcher);
            }
            if (set.isEmpty()) {
                map.remove(path);
                emptied.add(kind);
            }
        }
        Set<WatcherType> clear = EnumSet.noneOf(WatcherType.class);
        Map<String, Set<Watcher>> dataMap = byKind.get(Kind.DATA);
        Map<String, Set<Watcher>> existMap = byKind.get(Kind.EXIST);
        if ((emptied.contains(Kind.DATA) || emptied.contains(Kind.EXIST))
                && !dataMap.containsKey(path) && !existMap.containsKey(path)) {
            clear.add(WatcherType.DATA);
        }
        if (emptied.contains(Kind.CHILD)) {
            clear.add(WatcherType.CHILDREN);
        }
        if (emptied.contains(Kind.PERSISTENT)) {
            clear.add(WatcherType.PERSISTENT);
        }
        if (emptied.contains(Kind.PERSISTENT_RECURSIVE)) {
            clear.add(WatcherType.PERSISTENT_RECURSIVE);
        }
        return new Removal(List.copyOf(data), List.copyOf(child), List.copyOf(persistent), clear);
    }
}
