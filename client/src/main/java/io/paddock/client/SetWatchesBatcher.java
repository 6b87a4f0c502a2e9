package io.paddock.client;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.Record;
import io.paddock.protocol.SetWatches;
import io.paddock.protocol.SetWatches2;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the watches to re-register after a reconnect into setWatches requests small enough
 * for the server's jute.maxbuffer: a batch is closed once its paths total 128 Ki characters.
 * A batch without persistent watches goes as setWatches (101), which every 3.x server knows;
 * one with persistent watches as setWatches2 (105).
 */
final class SetWatchesBatcher {
    static final int MAX_BATCH_CHARS = 128 * 1024;

    /** One request to send: its op code and body. */
    record Batch(int opCode, Record body) {
    }

    private SetWatchesBatcher() {
    }

    /** Lists in order: data, exist, child, persistent, persistent recursive (server paths). */
    static List<Batch> batches(long relativeZxid, List<List<String>> lists, int maxChars) {
        List<Batch> out = new ArrayList<>();
        List<List<String>> current = emptyLists();
        int chars = 0;
        boolean any = false;
        for (int kind = 0; kind < 5; kind++) {
            for (String path : lists.get(kind)) {
                current.get(kind).add(path);
                chars += path.length();
                any = true;
                if (chars >= maxChars) {
                    out.add(toBatch(relativeZxid, current));
                    current = emptyLists();
                    chars = 0;
                    any = false;
                }
            }
        }
        if (any) {
            out.add(toBatch(relativeZxid, current));
        }
        return out;
    }

    private static List<List<String>> emptyLists() {
        List<List<String>> lists = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    private static Batch toBatch(long zxid, List<List<String>> l) {
        if (l.get(3).isEmpty() && l.get(4).isEmpty()) {
            return new Batch(OpCode.SET_WATCHES, new SetWatches(zxid, l.get(0), l.get(1), l.get(2)));
        }
        return new Batch(OpCode.SET_WATCHES2, new SetWatches2(zxid, l.get(0), l.get(1), l.get(2), l.get(3), l.get(4)));
    }
}
