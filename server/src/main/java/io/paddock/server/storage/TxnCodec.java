package io.paddock.server.storage;

import io.paddock.protocol.ACL;
import io.paddock.protocol.JuteException;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * Paddock's binary form of a txn, used by the log, by snapshots' neighbours and (later) by
 * replication: the header, a type byte, then the type's fields in jute encoding.
 */
public final class TxnCodec {
    private static final byte CREATE_SESSION = 1;
    private static final byte CLOSE_SESSION = 2;
    private static final byte CREATE = 3;
    private static final byte DELETE = 4;
    private static final byte SET_DATA = 5;
    private static final byte SET_ACL = 6;
    private static final byte CHECK = 7;
    private static final byte MULTI = 8;
    private static final byte ERROR = 9;
    private static final byte FAILED_MULTI = 10;
    private static final byte BARRIER = 11;

    /** A decoded txn with its header. */
    public record Entry(TxnHeader header, Txn txn) {
    }

    private TxnCodec() {
    }

    public static void encode(TxnHeader h, Txn txn, JuteOutput out) {
        out.writeLong(h.sessionId());
        out.writeInt(h.cxid());
        out.writeLong(h.zxid());
        out.writeLong(h.timeMs());
        encodeTxn(txn, out);
    }

    public static byte[] encode(TxnHeader h, Txn txn) {
        JuteOutput out = new JuteOutput(128);
        encode(h, txn, out);
        return out.toByteArray();
    }

    private static void encodeTxn(Txn txn, JuteOutput out) {
        if (txn instanceof Txn.CreateSession c) {
            out.writeByte(CREATE_SESSION);
            out.writeInt(c.timeoutMs());
            out.writeBuffer(c.password());
        } else if (txn instanceof Txn.CloseSession c) {
            out.writeByte(CLOSE_SESSION);
            out.writeStringVector(c.ephemerals());
        } else if (txn instanceof Txn.Create c) {
            out.writeByte(CREATE);
            out.writeString(c.path());
            out.writeBuffer(c.data());
            out.writeRecordVector(c.acl());
            out.writeLong(c.ephemeralOwner());
            out.writeInt(c.resultType());
        } else if (txn instanceof Txn.Delete d) {
            out.writeByte(DELETE);
            out.writeString(d.path());
        } else if (txn instanceof Txn.SetData s) {
            out.writeByte(SET_DATA);
            out.writeString(s.path());
            out.writeBuffer(s.data());
        } else if (txn instanceof Txn.SetAcl s) {
            out.writeByte(SET_ACL);
            out.writeString(s.path());
            out.writeRecordVector(s.acl());
        } else if (txn instanceof Txn.Check c) {
            out.writeByte(CHECK);
            out.writeString(c.path());
        } else if (txn instanceof Txn.Multi m) {
            out.writeByte(MULTI);
            out.writeInt(m.ops().size());
            for (Txn op : m.ops()) {
                encodeTxn(op, out);
            }
        } else if (txn instanceof Txn.Barrier) {
            out.writeByte(BARRIER);
        } else if (txn instanceof Txn.Error e) {
            out.writeByte(ERROR);
            out.writeInt(e.err());
        } else if (txn instanceof Txn.FailedMulti f) {
            out.writeByte(FAILED_MULTI);
            out.writeInt(f.errs().size());
            for (int err : f.errs()) {
                out.writeInt(err);
            }
        } else {
            throw new IllegalArgumentException("unknown txn " + txn);
        }
    }

    /** Decodes a txn; throws JuteException when the bytes are not a well-formed txn. */
    public static Entry decode(JuteInput in) {
        TxnHeader h = new TxnHeader(in.readLong(), in.readInt(), in.readLong(), in.readLong());
        Txn txn = decodeTxn(in, 0);
        if (in.remaining() != 0) {
            throw new JuteException(in.remaining() + " unexpected bytes after txn 0x" + Long.toHexString(h.zxid()));
        }
        return new Entry(h, txn);
    }

    private static Txn decodeTxn(JuteInput in, int depth) {
        byte type = in.readByte();
        return switch (type) {
            case CREATE_SESSION -> new Txn.CreateSession(in.readInt(), in.readBuffer());
            case CLOSE_SESSION -> {
                List<String> paths = in.readStringVector();
                if (paths == null) {
                    throw new JuteException("null ephemeral list in closeSession");
                }
                yield new Txn.CloseSession(paths);
            }
            case CREATE -> new Txn.Create(in.readString(), in.readBuffer(), readAcl(in), in.readLong(), in.readInt());
            case DELETE -> new Txn.Delete(in.readString());
            case SET_DATA -> new Txn.SetData(in.readString(), in.readBuffer());
            case SET_ACL -> new Txn.SetAcl(in.readString(), readAcl(in));
            case CHECK -> new Txn.Check(in.readString());
            case MULTI -> {
                if (depth > 0) {
                    throw new JuteException("nested multi");
                }
                int n = in.readInt();
                if (n < 0 || n > in.remaining()) {
                    throw new JuteException("bad multi size " + n);
                }
                List<Txn> ops = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ops.add(decodeTxn(in, depth + 1));
                }
                yield new Txn.Multi(List.copyOf(ops));
            }
            case ERROR -> new Txn.Error(in.readInt());
            case BARRIER -> {
                if (depth > 0) {
                    throw new JuteException("sync inside a multi");
                }
                yield new Txn.Barrier();
            }
            case FAILED_MULTI -> {
                if (depth > 0) {
                    throw new JuteException("failed multi inside a multi");
                }
                int n = in.readInt();
                if (n < 0 || n > in.remaining() / 4) {
                    throw new JuteException("bad failed multi size " + n);
                }
                List<Integer> errs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    errs.add(in.readInt());
                }
                yield new Txn.FailedMulti(errs);
            }
            default -> throw new JuteException("unknown txn type " + type);
        };
    }

    private static List<ACL> readAcl(JuteInput in) {
        List<ACL> acl = in.readRecordVector(ACL::readFrom, 12);
        if (acl == null) {
            throw new JuteException("null ACL in txn");
        }
        return acl;
    }
}
