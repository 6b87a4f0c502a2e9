package io.paddock.server.core;

import io.paddock.protocol.Id;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.protocol.Record;
import java.util.ArrayList;
import java.util.List;

/**
 * What a learner's core and the leader's core tell each other through Zab's application channel:
 * a learner forwards the writes (and syncs, session creations and closes) of its clients and
 * reports which sessions are alive and which sessions its clients re-attach; the leader answers
 * what does not become a txn (a sync, a re-attach) — every write, refused ones included, becomes a
 * txn and is answered by its commit.
 */
final class LearnerMessages {
    static final byte REQUEST = 1;
    static final byte TOUCH = 2;
    static final byte ANSWER = 3;
    static final byte REVALIDATE = 4;

    /** A forwarded client request; {@code body} is the encoded request record (may be empty). */
    record Request(long sessionId, int cxid, int op, List<Id> identities, byte[] body) {
    }

    /** A client re-attaches a session on the learner, with the password it gave. */
    record Revalidate(long sessionId, byte[] password) {
    }

    /** The leader's answer to a forwarded request; {@code response} is the encoded record or null. */
    record Answer(long sessionId, int cxid, int err, byte[] response) {
    }

    private LearnerMessages() {
    }

    static byte[] request(long sessionId, int cxid, int op, List<Id> identities, Record body) {
        JuteOutput out = new JuteOutput(128);
        out.writeByte(REQUEST);
        out.writeLong(sessionId);
        out.writeInt(cxid);
        out.writeInt(op);
        out.writeInt(identities.size());
        for (Id id : identities) {
            id.writeTo(out);
        }
        out.writeBuffer(encode(body));
        return out.toByteArray();
    }

    static byte[] encode(Record body) {
        if (body == null) {
            return null;
        }
        JuteOutput b = new JuteOutput(128);
        body.writeTo(b);
        return b.toByteArray();
    }

    static byte[] revalidate(long sessionId, byte[] password) {
        JuteOutput out = new JuteOutput(32);
        out.writeByte(REVALIDATE);
        out.writeLong(sessionId);
        out.writeBuffer(password);
        return out.toByteArray();
    }

    static byte[] touch(List<Long> sessions) {
        JuteOutput out = new JuteOutput(8 + sessions.size() * 8);
        out.writeByte(TOUCH);
        out.writeInt(sessions.size());
        for (long s : sessions) {
            out.writeLong(s);
        }
        return out.toByteArray();
    }

    static byte[] answer(long sessionId, int cxid, int err, Record response) {
        JuteOutput out = new JuteOutput(64);
        out.writeByte(ANSWER);
        out.writeLong(sessionId);
        out.writeInt(cxid);
        out.writeInt(err);
        out.writeBuffer(encode(response));
        return out.toByteArray();
    }

    /** Decodes a learner's message: a {@link Request}, a {@link Revalidate} or a list of touched session ids. */
    static Object decodeFromLearner(byte[] payload) {
        JuteInput in = new JuteInput(payload);
        byte kind = in.readByte();
        if (kind == REQUEST) {
            long sessionId = in.readLong();
            int cxid = in.readInt();
            int op = in.readInt();
            int n = in.readInt();
            if (n < 0 || n > payload.length) {
                throw new IllegalArgumentException("bad identity count " + n);
            }
            List<Id> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(Id.readFrom(in));
            }
            return new Request(sessionId, cxid, op, ids, in.readBuffer());
        }
        if (kind == REVALIDATE) {
            return new Revalidate(in.readLong(), in.readBuffer());
        }
        if (kind == TOUCH) {
            int n = in.readInt();
            if (n < 0 || n > payload.length / 8) {
                throw new IllegalArgumentException("bad session count " + n);
            }
            List<Long> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(in.readLong());
            }
            return ids;
        }
        throw new IllegalArgumentException("unknown learner message kind " + kind);
    }

    static Answer decodeAnswer(byte[] payload) {
        JuteInput in = new JuteInput(payload);
        byte kind = in.readByte();
        if (kind != ANSWER) {
            throw new IllegalArgumentException("unknown leader message kind " + kind);
        }
        return new Answer(in.readLong(), in.readInt(), in.readInt(), in.readBuffer());
    }
}
