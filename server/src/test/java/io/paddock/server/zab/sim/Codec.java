package io.paddock.server.zab.sim;

import io.paddock.server.zab.Entry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The simulated application's bytes: its state (for snapshots), its txns, requests and replies. */
final class Codec {
    private Codec() {
    }

    /** Entries are the same txn when zxid and bytes agree ({@code local} never counts). */
    static boolean same(Entry a, Entry b) {
        return a == b || (a != null && b != null && a.zxid() == b.zxid() && Arrays.equals(a.data(), b.data()));
    }

    /** The app state (every applied entry, oldest first) as a snapshot. */
    static byte[] encodeState(List<Entry> entries) {
        int size = 4;
        for (Entry e : entries) {
            size += 12 + e.data().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(entries.size());
        for (Entry e : entries) {
            b.putLong(e.zxid()).putInt(e.data().length).put(e.data());
        }
        return b.array();
    }

    static List<Entry> decodeState(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        int n = b.getInt();
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long zxid = b.getLong();
            byte[] d = new byte[b.getInt()];
            b.get(d);
            entries.add(new Entry(zxid, d, null));
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("snapshot has " + b.remaining() + " trailing bytes");
        }
        return List.copyOf(entries);
    }

    /** A txn's bytes: a unique operation id, padded so that sizes vary. */
    static byte[] op(long opId, int padding) {
        return ByteBuffer.allocate(8 + padding).putLong(opId).array();
    }

    static long opId(byte[] data) {
        return ByteBuffer.wrap(data).getLong();
    }

    static byte[] request(long requestId) {
        return ByteBuffer.allocate(8).putLong(requestId).array();
    }

    static long requestId(byte[] payload) {
        return ByteBuffer.wrap(payload).getLong();
    }

    /** The leader app's answer: the request and the last zxid the leader had proposed when answering. */
    static byte[] reply(byte[] request, long zxid) {
        return ByteBuffer.allocate(request.length + 8).put(request).putLong(zxid).array();
    }

    static long replyZxid(byte[] reply) {
        return ByteBuffer.wrap(reply).getLong(reply.length - 8);
    }
}
