package io.paddock.server.core.sim;

import io.paddock.protocol.EventType;
import io.paddock.protocol.PathRules;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.txn.Txn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one client handle learnt of its one-shot watches, in the order it learnt it, and the check
 * that a watch fires once, before its session can see the change it announces. A watch is set by
 * a read that asks for one (getData or exists on an existing node: a data watch; exists on a
 * missing node: an exist watch; getChildren: a child watch) as of the zxid its reply carries; when
 * the connection goes, the client sends the watches that have not fired with setWatches on its
 * next connection of the same session, with the last zxid it saw, as ZooKeeper's client does.
 *
 * <p>As they arrive (no history needed): an event must find a watch set and not yet fired (it
 * fires once). Once everything healed, against the committed history (every member's log is the
 * same by then): an event announces the first change of its node after the watch was set, by
 * type and zxid (catch-up events of setWatches carry no zxid: a change after the watch was set
 * must exist); no reply or event shows a zxid at or past that change before the event came; and
 * a watch still set at the end on a live connection has nothing to announce. One ZooKeeper
 * allowance: an exist watch re-registered while its node is missing again is a new watch (a node
 * created and deleted while the client was between connections is not announced).
 */
final class WatchHistory {
    enum Kind { DATA, EXIST, CHILD }

    /** What a client learns of its watches. */
    private enum What {
        SET("watch set"), FIRED("event"), SEEN("reply"), REWATCHED("setWatches answered"),
        FORGOTTEN("watches gone (new session)");

        final String label;

        What(String label) {
            this.label = label;
        }
    }

    /** What the client learnt, when. */
    private record Entry(long at, What what, String path, Kind kind, int type, long zxid) {
        @Override
        public String toString() {
            return at + " " + what.label + (path == null ? "" : " " + path) + (kind == null ? "" : " " + kind)
                    + (type == 0 ? "" : " " + EventType.fromCode(type)) + (zxid == Long.MIN_VALUE ? "" : " zxid "
                    + Long.toHexString(zxid));
        }
    }

    private final String client;
    private final List<Entry> entries = new ArrayList<>();
    /** The watches set and not fired, by slot (data side or child side of a path), as the client tracks them. */
    private final Map<String, Kind> armed = new LinkedHashMap<>();

    WatchHistory(String client) {
        this.client = client;
    }

    private static String slot(String path, Kind kind) {
        return (kind == Kind.CHILD ? "c" : "d") + path;
    }

    private static Kind[] sides(int type) {
        return type == EventType.NODE_CHILDREN_CHANGED.code() ? new Kind[] {Kind.CHILD}
                : type == EventType.NODE_DELETED.code() ? new Kind[] {Kind.DATA, Kind.CHILD} : new Kind[] {Kind.DATA};
    }

    void set(long at, String path, Kind kind, long zxid) {
        entries.add(new Entry(at, What.SET, path, kind, 0, zxid));
        armed.putIfAbsent(slot(path, kind), kind);
    }

    /** A notification arrived: null, or why it breaks "once" (no watch of its node was waiting for it). */
    String fired(long at, int type, String path, long zxid) {
        entries.add(new Entry(at, What.FIRED, path, null, type, zxid));
        boolean any = false;
        for (Kind side : sides(type)) {
            any |= armed.remove(slot(path, side)) != null;
        }
        return any ? null : client + " got " + EventType.fromCode(type) + " of " + path + " (zxid "
                + Long.toHexString(zxid) + ") but holds no watch of it: a watch fired twice, or without being set";
    }

    void seen(long at, long zxid) {
        entries.add(new Entry(at, What.SEEN, null, null, 0, zxid));
    }

    void rewatched(long at, long zxid) {
        entries.add(new Entry(at, What.REWATCHED, null, null, 0, zxid));
    }

    void forget(long at) {
        entries.add(new Entry(at, What.FORGOTTEN, null, null, 0, Long.MIN_VALUE));
        armed.clear();
    }

    /** The watches to send again with setWatches: data, exist and child watches' paths. */
    List<List<String>> toRewatch() {
        List<List<String>> out = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Map.Entry<String, Kind> e : armed.entrySet()) {
            out.get(e.getValue().ordinal()).add(e.getKey().substring(1));
        }
        return out;
    }

    boolean watching() {
        return !armed.isEmpty();
    }

    int events() {
        int n = 0;
        for (Entry e : entries) {
            n += e.what == What.FIRED ? 1 : 0;
        }
        return n;
    }

    /** A watch as the check follows it: set as of {@code zxid}, and the first change it must announce (or null). */
    private record Armed(String path, Kind kind, long zxid, Changes.Change first) {
    }

    /**
     * Null if every watch of this handle fired once, in time, announcing the right change; else why
     * not, with the handle's entries up to there. {@code live}: the handle is still connected at the
     * end, so its watches that have something to announce must have fired.
     */
    String check(Changes changes, boolean live) {
        Map<String, Armed> set = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String why = null;
            if (e.what == What.SET) {
                set.putIfAbsent(slot(e.path, e.kind), new Armed(e.path, e.kind, e.zxid,
                        changes.firstAfter(e.path, e.kind == Kind.CHILD, e.zxid)));
            } else if (e.what == What.FIRED) {
                for (Kind side : sides(e.type)) {
                    Armed a = set.remove(slot(e.path, side));
                    if (a == null) {
                        continue;
                    }
                    if (a.first == null) {
                        why = "announces a change of " + e.path + " but none was made after its watch was set at "
                                + Long.toHexString(a.zxid);
                    } else if (e.zxid != -1 && (a.first.zxid() != e.zxid || a.first.type() != e.type)) {
                        why = "but the first change of " + e.path + " after its " + a.kind + " watch was set at "
                                + Long.toHexString(a.zxid) + " was " + EventType.fromCode(a.first.type()) + " at "
                                + Long.toHexString(a.first.zxid());
                    }
                }
                if (why == null && e.zxid > 0) {
                    // Other events of the same txn may follow this one: only earlier changes must be announced.
                    why = late(set, e.zxid - 1);
                }
            } else if (e.what == What.SEEN) {
                why = late(set, e.zxid);
            } else if (e.what == What.REWATCHED) {
                for (Map.Entry<String, Armed> s : set.entrySet()) {
                    Armed a = s.getValue();
                    if (a.kind == Kind.EXIST && !changes.exists(a.path, e.zxid)) {
                        s.setValue(new Armed(a.path, a.kind, e.zxid, changes.firstAfter(a.path, false, e.zxid)));
                    }
                }
                why = late(set, e.zxid);
            } else if (e.what == What.FORGOTTEN) {
                set.clear();
            }
            if (why != null) {
                return failure(i, e + ": " + why);
            }
        }
        if (live) {
            for (Armed a : set.values()) {
                if (a.first != null) {
                    return failure(entries.size() - 1, "the " + a.kind + " watch of " + a.path + " set at "
                            + Long.toHexString(a.zxid) + " never announced " + EventType.fromCode(a.first.type())
                            + " at " + Long.toHexString(a.first.zxid()) + ", though the connection lives");
                }
            }
        }
        return null;
    }

    /** Why a view of {@code zxid} is too early (a watch set has a change at or before it still to announce), or null. */
    private static String late(Map<String, Armed> set, long zxid) {
        for (Armed a : set.values()) {
            if (a.first != null && a.first.zxid() <= zxid) {
                return "the session sees zxid " + Long.toHexString(zxid) + " before the event of its " + a.kind
                        + " watch of " + a.path + " (set at " + Long.toHexString(a.zxid) + ") announcing "
                        + EventType.fromCode(a.first.type()) + " at " + Long.toHexString(a.first.zxid());
            }
        }
        return null;
    }

    private String failure(int upTo, String why) {
        StringBuilder b = new StringBuilder(client + ": " + why + "\n" + client + "'s watch history up to there:\n");
        for (Entry e : entries.subList(Math.max(0, upTo - 40), upTo + 1)) {
            b.append("  ").append(e).append('\n');
        }
        return b.toString();
    }

    /** Where and when every committed txn changed each node (data side) and each node's children (child side). */
    static final class Changes {
        record Change(long zxid, int type) {
        }

        private final Map<String, List<Change>> data = new HashMap<>();
        private final Map<String, List<Change>> child = new HashMap<>();

        Changes(List<TxnCodec.Entry> committed) {
            for (TxnCodec.Entry e : committed) {
                add(e.header().zxid(), e.txn());
            }
        }

        private void add(long zxid, Txn txn) {
            if (txn instanceof Txn.Create c) {
                record(data, c.path(), zxid, EventType.NODE_CREATED);
                record(child, PathRules.parent(c.path()), zxid, EventType.NODE_CHILDREN_CHANGED);
            } else if (txn instanceof Txn.SetData s) {
                record(data, s.path(), zxid, EventType.NODE_DATA_CHANGED);
            } else if (txn instanceof Txn.Delete d) {
                delete(d.path(), zxid);
            } else if (txn instanceof Txn.CloseSession c) {
                for (String path : c.ephemerals()) {
                    delete(path, zxid);
                }
            } else if (txn instanceof Txn.Multi m) {
                for (Txn op : m.ops()) {
                    add(zxid, op);
                }
            }
        }

        private void delete(String path, long zxid) {
            record(data, path, zxid, EventType.NODE_DELETED);
            record(child, path, zxid, EventType.NODE_DELETED);
            record(child, PathRules.parent(path), zxid, EventType.NODE_CHILDREN_CHANGED);
        }

        private static void record(Map<String, List<Change>> side, String path, long zxid, EventType type) {
            List<Change> list = side.computeIfAbsent(path, p -> new ArrayList<>());
            // Several steps of one multi on one node: its watch fires at the first.
            if (list.isEmpty() || list.get(list.size() - 1).zxid() != zxid) {
                list.add(new Change(zxid, type.code()));
            }
        }

        /** The first change after {@code zxid} of the node's data (or children), or null. */
        Change firstAfter(String path, boolean children, long zxid) {
            for (Change c : (children ? child : data).getOrDefault(path, List.of())) {
                if (c.zxid() > zxid) {
                    return c;
                }
            }
            return null;
        }

        /** Whether the node exists as of {@code zxid}. */
        boolean exists(String path, long zxid) {
            boolean exists = false;
            for (Change c : data.getOrDefault(path, List.of())) {
                if (c.zxid() > zxid) {
                    break;
                }
                exists = c.type() == EventType.NODE_CREATED.code() ? true
                        : c.type() == EventType.NODE_DELETED.code() ? false : exists;
            }
            return exists;
        }
    }
}
