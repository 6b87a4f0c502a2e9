package io.paddock.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.Zxid;
import java.io.IOException;

/**
 * The server-to-server wire format, big-endian throughout.
 *
 * <p>A connection is a sequence of frames, each a 4-byte length and that many bytes (at most
 * {@link #MAX_FRAME_BYTES}). The first frame is the handshake: magic, format version, sender id and
 * the port kind the sender believes it dialled. Every later frame is a flag byte and a chunk of at
 * most {@link #CHUNK_BYTES} of an encoded message: {@link #MORE} means the message continues in the
 * next frame, {@link #LAST} that it ends here. So a message of any size (a snapshot of hundreds of
 * MB) streams in bounded frames and the receiver reassembles it.
 *
 * <p>An encoded message is a type tag then its fields: longs, a byte for enums and booleans, and
 * byte arrays as a 4-byte length then the bytes. {@link Entry#local()} never leaves the process.
 */
public final class PeerCodec {
    /** "PDKP": a Paddock peer connection. */
    public static final int MAGIC = 0x50444B50;
    /** The format version, in the handshake so the format can evolve. */
    public static final short VERSION = 1;
    /** The most message bytes one frame carries. */
    public static final int CHUNK_BYTES = 1 << 20;
    /** The largest frame body accepted: a chunk and a small header. */
    public static final int MAX_FRAME_BYTES = CHUNK_BYTES + 64;
    static final byte LAST = 0;
    static final byte MORE = 1;
    /** A frame of the SASL exchange that follows the handshake when servers authenticate by SASL. */
    static final byte AUTH = 2;
    static final int HANDSHAKE_BYTES = 4 + 2 + 8 + 1;

    private static final byte VOTE = 1;
    private static final byte LINK = 2;

    private static final byte FOLLOWER_INFO = 1;
    private static final byte LEADER_INFO = 2;
    private static final byte ACK_EPOCH = 3;
    private static final byte DIFF = 4;
    private static final byte TRUNC = 5;
    private static final byte SNAP = 6;
    private static final byte PROPOSE = 7;
    private static final byte COMMIT = 8;
    private static final byte INFORM = 9;
    private static final byte NEW_LEADER = 10;
    private static final byte ACK_NEW_LEADER = 11;
    private static final byte ACK = 12;
    private static final byte UP_TO_DATE = 13;
    private static final byte PING = 14;
    private static final byte REQUEST = 15;
    private static final byte REPLY = 16;

    /** Byte arrays up to this size are copied into the header; bigger ones are wrapped, not copied. */
    private static final int COPY_THRESHOLD = 1024;
    /** Tag, link, seq, body tag and the largest fixed body (FollowerInfo) or a Vote, with room to spare. */
    private static final int MAX_HEADER_BYTES = 64;

    private PeerCodec() {
    }

    /** Input that is not a well-formed frame, handshake or message. */
    public static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    /** The first frame of a connection. */
    record Handshake(int magic, short version, long senderId, int portKind) {
    }

    /** The handshake frame body of a connection from {@code myId} to a peer's {@code kind} port. */
    static ByteBuf encodeHandshake(ByteBufAllocator alloc, long myId, PortKind kind) {
        return alloc.buffer(HANDSHAKE_BYTES).writeInt(MAGIC).writeShort(VERSION).writeLong(myId).writeByte(kind.code);
    }

    /** Parses a handshake frame body; validating magic and version is the caller's job, to say why. */
    static Handshake decodeHandshake(ByteBuf in) throws MalformedException {
        if (in.readableBytes() != HANDSHAKE_BYTES) {
            throw new MalformedException("handshake of " + in.readableBytes() + " bytes, expected " + HANDSHAKE_BYTES);
        }
        return new Handshake(in.readInt(), in.readShort(), in.readLong(), in.readUnsignedByte());
    }

    /** What an {@link #AUTH} frame says: a step of the exchange, its successful end, a refusal, or "I do no SASL". */
    enum AuthKind {
        TOKEN, SUCCESS, FAILURE, NOT_OFFERED;

        static AuthKind ofCode(int code) throws MalformedException {
            AuthKind[] all = values();
            if (code < 0 || code >= all.length) {
                throw new MalformedException("unknown authentication frame kind " + code);
            }
            return all[code];
        }
    }

    /** One frame of the SASL exchange; a failure's token is its reason in UTF-8. */
    record AuthFrame(AuthKind kind, byte[] token) {
    }

    /** A whole {@link #AUTH} frame, its length included. */
    static ByteBuf encodeAuth(ByteBufAllocator alloc, AuthKind kind, byte[] token) {
        byte[] t = token == null ? new byte[0] : token;
        return alloc.buffer(4 + 2 + t.length).writeInt(2 + t.length).writeByte(AUTH).writeByte(kind.ordinal())
                .writeBytes(t);
    }

    /** Parses an {@link #AUTH} frame body whose flag byte was already read. */
    static AuthFrame decodeAuth(ByteBuf in) throws MalformedException {
        AuthKind kind = AuthKind.ofCode(readByte(in, "authentication frame kind"));
        byte[] token = new byte[in.readableBytes()];
        in.readBytes(token);
        return new AuthFrame(kind, token);
    }

    /** How many bytes {@link #encode} produces for {@code msg}. */
    public static long encodedSize(Msg msg) {
        if (msg instanceof Msg.Vote) {
            return 1 + 4 * 8 + 1;
        }
        Msg.Body body = ((Msg.Link) msg).body();
        long size = 1 + 8 + 8 + 1;
        if (body instanceof Msg.FollowerInfo) {
            return size + 3 * 8 + 1;
        } else if (body instanceof Msg.AckEpoch) {
            return size + 3 * 8;
        } else if (body instanceof Msg.UpToDate || body instanceof Msg.Ping) {
            return size;
        }
        byte[] data = bytesOf(body);
        if (data == null) {
            return size + 8;
        }
        return size + (body instanceof Msg.Request || body instanceof Msg.Reply ? 0 : 8) + 4 + data.length;
    }

    /**
     * Encodes {@code msg}. Large byte arrays are wrapped, not copied, so they must not change until
     * the buffer is written (messages are immutable by contract).
     */
    public static ByteBuf encode(Msg msg, ByteBufAllocator alloc) {
        ByteBuf header = alloc.buffer(MAX_HEADER_BYTES);
        byte[] big = null;
        try {
            if (msg instanceof Msg.Vote v) {
                header.writeByte(VOTE).writeLong(v.leader()).writeLong(v.zxid()).writeLong(v.peerEpoch())
                        .writeLong(v.round()).writeByte(stateCode(v.state()));
                return header;
            }
            Msg.Link link = (Msg.Link) msg;
            header.writeByte(LINK).writeLong(link.link()).writeLong(link.seq());
            Msg.Body body = link.body();
            if (body instanceof Msg.FollowerInfo b) {
                header.writeByte(FOLLOWER_INFO).writeLong(b.acceptedEpoch()).writeLong(b.currentEpoch())
                        .writeLong(b.lastZxid()).writeBoolean(b.observer());
            } else if (body instanceof Msg.LeaderInfo b) {
                header.writeByte(LEADER_INFO).writeLong(b.epoch());
            } else if (body instanceof Msg.AckEpoch b) {
                header.writeByte(ACK_EPOCH).writeLong(b.currentEpoch()).writeLong(b.lastZxid())
                        .writeLong(b.snapshotZxid());
            } else if (body instanceof Msg.Diff b) {
                header.writeByte(DIFF).writeLong(b.fromZxid());
            } else if (body instanceof Msg.Trunc b) {
                header.writeByte(TRUNC).writeLong(b.zxid());
            } else if (body instanceof Msg.Snap b) {
                header.writeByte(SNAP).writeLong(b.zxid());
                big = b.data();
            } else if (body instanceof Msg.Propose b) {
                header.writeByte(PROPOSE).writeLong(b.entry().zxid());
                big = b.entry().data();
            } else if (body instanceof Msg.Commit b) {
                header.writeByte(COMMIT).writeLong(b.zxid());
            } else if (body instanceof Msg.Inform b) {
                header.writeByte(INFORM).writeLong(b.entry().zxid());
                big = b.entry().data();
            } else if (body instanceof Msg.NewLeader b) {
                header.writeByte(NEW_LEADER).writeLong(b.epoch());
            } else if (body instanceof Msg.AckNewLeader b) {
                header.writeByte(ACK_NEW_LEADER).writeLong(b.epoch());
            } else if (body instanceof Msg.Ack b) {
                header.writeByte(ACK).writeLong(b.zxid());
            } else if (body instanceof Msg.UpToDate) {
                header.writeByte(UP_TO_DATE);
            } else if (body instanceof Msg.Ping) {
                header.writeByte(PING);
            } else if (body instanceof Msg.Request b) {
                header.writeByte(REQUEST);
                big = b.payload();
            } else if (body instanceof Msg.Reply b) {
                header.writeByte(REPLY);
                big = b.payload();
            } else {
                throw new IllegalArgumentException("no encoding for " + body);
            }
            if (big == null) {
                return header;
            }
            header.writeInt(big.length);
            if (big.length <= COPY_THRESHOLD) {
                return header.writeBytes(big);
            }
            CompositeByteBuf out = alloc.compositeBuffer(2);
            out.addComponents(true, header, Unpooled.wrappedBuffer(big));
            return out;
        } catch (RuntimeException e) {
            header.release();
            throw e;
        }
    }

    /** Encodes {@code msg} into a new array. */
    public static byte[] toBytes(Msg msg) {
        ByteBuf buf = encode(msg, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    /** Decodes one message from all of {@code bytes}. */
    public static Msg fromBytes(byte[] bytes) throws MalformedException {
        return decode(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Decodes one message from all readable bytes of {@code in} (which it consumes, not releases).
     * Every length is checked against what remains, so bad input fails fast and never allocates more
     * than the input holds.
     */
    public static Msg decode(ByteBuf in) throws MalformedException {
        byte tag = readByte(in, "message tag");
        Msg msg;
        if (tag == VOTE) {
            // A looking observer backs no one: leader, zxid and epoch -1.
            msg = new Msg.Vote(readLong(in), readVoteField(in, true), readVoteField(in, false), readLong(in),
                    state(readByte(in, "vote state")));
        } else if (tag == LINK) {
            msg = new Msg.Link(readLong(in), readLong(in), decodeBody(in));
        } else {
            throw new MalformedException("unknown message tag " + tag);
        }
        if (in.isReadable()) {
            throw new MalformedException(in.readableBytes() + " bytes left after " + msg);
        }
        return msg;
    }

    private static Msg.Body decodeBody(ByteBuf in) throws MalformedException {
        byte tag = readByte(in, "link body tag");
        switch (tag) {
            case FOLLOWER_INFO:
                return followerInfo(readEpoch(in, "accepted epoch"), readEpoch(in, "current epoch"),
                        readZxid(in, "last zxid"), readBoolean(in));
            case LEADER_INFO:
                return new Msg.LeaderInfo(readEpoch(in, "leader epoch"));
            case ACK_EPOCH:
                return new Msg.AckEpoch(readEpoch(in, "current epoch"), readZxid(in, "last zxid"),
                        readZxid(in, "snapshot zxid"));
            case DIFF:
                return new Msg.Diff(readZxid(in, "diff zxid"));
            case TRUNC:
                return new Msg.Trunc(readZxid(in, "trunc zxid"));
            case SNAP:
                return new Msg.Snap(readZxid(in, "snapshot zxid"), readBytes(in));
            case PROPOSE:
                return new Msg.Propose(readEntry(in));
            case COMMIT:
                return new Msg.Commit(readZxid(in, "commit zxid"));
            case INFORM:
                return new Msg.Inform(readEntry(in));
            case NEW_LEADER:
                return new Msg.NewLeader(readEpoch(in, "new leader epoch"));
            case ACK_NEW_LEADER:
                return new Msg.AckNewLeader(readEpoch(in, "new leader epoch"));
            case ACK:
                return new Msg.Ack(readZxid(in, "ack zxid"));
            case UP_TO_DATE:
                return new Msg.UpToDate();
            case PING:
                return new Msg.Ping();
            case REQUEST:
                return new Msg.Request(readBytes(in));
            case REPLY:
                return new Msg.Reply(readBytes(in));
            default:
                throw new MalformedException("unknown link body tag " + tag);
        }
    }

    private static Msg.FollowerInfo followerInfo(long accepted, long current, long lastZxid, boolean observer)
            throws MalformedException {
        // A server makes an epoch current only after accepting it, and logs txns of an epoch only
        // after it is current: anything else is not a server's state but a forgery or corruption.
        if (current > accepted) {
            throw new MalformedException("current epoch " + current + " above accepted epoch " + accepted);
        }
        if (Zxid.epoch(lastZxid) > current) {
            throw new MalformedException("last zxid " + Zxid.hex(lastZxid) + " of an epoch above current epoch " + current);
        }
        return new Msg.FollowerInfo(accepted, current, lastZxid, observer);
    }

    /**
     * An epoch from a peer, refused past {@link Zxid#MAX_EPOCH}: one forged near 2^32 would
     * otherwise become the ensemble's accepted epoch, on disk, and leave no room for the next.
     */
    private static long readEpoch(ByteBuf in, String what) throws MalformedException {
        long epoch = readLong(in);
        if (epoch < 0 || epoch > Zxid.MAX_EPOCH) {
            throw new MalformedException(what + " " + epoch + " out of range (0 to " + Zxid.MAX_EPOCH + ")");
        }
        return epoch;
    }

    private static long readVoteField(ByteBuf in, boolean zxid) throws MalformedException {
        if (in.readableBytes() >= 8 && in.getLong(in.readerIndex()) == -1) {
            return in.readLong();
        }
        return zxid ? readZxid(in, "vote zxid") : readEpoch(in, "vote epoch");
    }

    private static long readZxid(ByteBuf in, String what) throws MalformedException {
        long zxid = readLong(in);
        if (!Zxid.inRange(zxid)) {
            throw new MalformedException(what + " " + Zxid.hex(zxid) + " out of range (epoch 0 to " + Zxid.MAX_EPOCH + ")");
        }
        return zxid;
    }

    private static Entry readEntry(ByteBuf in) throws MalformedException {
        long zxid = readZxid(in, "entry zxid");
        byte[] data = readBytes(in);
        if (zxid <= 0) {
            throw new MalformedException("entry with non-positive zxid " + zxid);
        }
        return new Entry(zxid, data, null);
    }

    private static byte readByte(ByteBuf in, String what) throws MalformedException {
        if (!in.isReadable()) {
            throw new MalformedException("truncated: no " + what);
        }
        return in.readByte();
    }

    private static boolean readBoolean(ByteBuf in) throws MalformedException {
        byte b = readByte(in, "boolean");
        if (b != 0 && b != 1) {
            throw new MalformedException("boolean byte " + b);
        }
        return b == 1;
    }

    private static long readLong(ByteBuf in) throws MalformedException {
        if (in.readableBytes() < 8) {
            throw new MalformedException("truncated: a long needs 8 bytes, " + in.readableBytes() + " remain");
        }
        return in.readLong();
    }

    private static byte[] readBytes(ByteBuf in) throws MalformedException {
        if (in.readableBytes() < 4) {
            throw new MalformedException("truncated: a byte array length needs 4 bytes, " + in.readableBytes() + " remain");
        }
        int length = in.readInt();
        if (length < 0 || length > in.readableBytes()) {
            throw new MalformedException("byte array of " + length + " bytes, " + in.readableBytes() + " remain");
        }
        byte[] data = new byte[length];
        in.readBytes(data);
        return data;
    }

    private static byte[] bytesOf(Msg.Body body) {
        if (body instanceof Msg.Snap b) {
            return b.data();
        } else if (body instanceof Msg.Propose b) {
            return b.entry().data();
        } else if (body instanceof Msg.Inform b) {
            return b.entry().data();
        } else if (body instanceof Msg.Request b) {
            return b.payload();
        } else if (body instanceof Msg.Reply b) {
            return b.payload();
        }
        return null;
    }

    /** Fixed codes, not ordinals, so reordering the enum cannot change the wire. */
    private static int stateCode(ServerState state) {
        return switch (state) {
            case LOOKING -> 0;
            case FOLLOWING -> 1;
            case LEADING -> 2;
            case OBSERVING -> 3;
        };
    }

    private static ServerState state(byte code) throws MalformedException {
        return switch (code) {
            case 0 -> ServerState.LOOKING;
            case 1 -> ServerState.FOLLOWING;
            case 2 -> ServerState.LEADING;
            case 3 -> ServerState.OBSERVING;
            default -> throw new MalformedException("unknown server state " + code);
        };
    }
}
