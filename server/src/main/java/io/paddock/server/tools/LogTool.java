package io.paddock.server.tools;

import io.paddock.protocol.JuteException;
import io.paddock.protocol.JuteInput;
import io.paddock.server.storage.LogReader;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.txn.Txn;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code zkTxnLogToolkit.sh [-d] <log segment>}: prints every txn of a log segment, one per line,
 * then whether the segment is clean or where it is damaged. {@code -d} adds node data. Exit
 * status: 0 clean, 2 damaged, 1 unusable arguments.
 */
public final class LogTool {
    private LogTool() {
    }

    public static void main(String[] args) throws IOException {
        boolean withData = false;
        Path file = null;
        for (String a : args) {
            if (a.equals("-d")) {
                withData = true;
            } else if (file == null) {
                file = Path.of(a);
            }
        }
        if (file == null || !Files.isRegularFile(file)) {
            System.err.println("usage: zkTxnLogToolkit.sh [-d] <dataLogDir/version-2/log.N>");
            System.exit(1);
        }
        System.exit(print(file, withData, System.out));
    }

    /** Prints the segment; returns 0 when it is clean and 2 when it is damaged. */
    public static int print(Path file, boolean withData, PrintStream out) throws IOException {
        long[] count = {0};
        LogReader.Scan scan = LogReader.scan(file, r -> {
            try {
                TxnCodec.Entry e = TxnCodec.decode(new JuteInput(r.payload()));
                out.println(describe(e, withData));
            } catch (JuteException ex) {
                out.println("offset " + r.offset() + ": undecodable txn: " + ex.getMessage());
            }
            count[0]++;
        });
        out.println(file.getFileName() + ": " + count[0] + " txns"
                + (scan.firstZxid() >= 0 ? ", first zxid 0x" + Long.toHexString(scan.firstZxid()) : ""));
        if (scan.clean()) {
            out.println("clean: the records end at offset " + scan.endOffset());
            return 0;
        }
        out.println("DAMAGED at offset " + scan.damageOffset() + ": " + scan.damage()
                + (scan.intactAfterDamage() ? "; intact records follow" : "; nothing intact follows (a torn tail)"));
        return 2;
    }

    static String describe(TxnCodec.Entry e, boolean withData) {
        StringBuilder sb = new StringBuilder();
        sb.append("0x").append(Long.toHexString(e.header().zxid()))
                .append(' ').append(Instant.ofEpochMilli(e.header().timeMs()))
                .append(" session 0x").append(Long.toHexString(e.header().sessionId()))
                .append(" cxid 0x").append(Integer.toHexString(e.header().cxid()))
                .append(' ').append(describe(e.txn(), withData));
        return sb.toString();
    }

    private static String describe(Txn txn, boolean withData) {
        if (txn instanceof Txn.CreateSession c) {
            return "createSession timeout=" + c.timeoutMs();
        } else if (txn instanceof Txn.CloseSession c) {
            return "closeSession ephemerals=" + c.ephemerals();
        } else if (txn instanceof Txn.Create c) {
            return "create " + c.path() + data(c.data(), withData) + " acl=" + c.acl() + " owner=0x"
                    + Long.toHexString(c.ephemeralOwner());
        } else if (txn instanceof Txn.Delete d) {
            return "delete " + d.path();
        } else if (txn instanceof Txn.SetData s) {
            return "setData " + s.path() + data(s.data(), withData);
        } else if (txn instanceof Txn.SetAcl s) {
            return "setACL " + s.path() + " acl=" + s.acl();
        } else if (txn instanceof Txn.Check c) {
            return "check " + c.path();
        } else if (txn instanceof Txn.Error e) {
            io.paddock.protocol.ErrorCode code = io.paddock.protocol.ErrorCode.fromCode(e.err());
            return "error " + (code == null ? Integer.toString(e.err()) : code.message());
        } else if (txn instanceof Txn.Barrier) {
            return "sync";
        } else if (txn instanceof Txn.FailedMulti f) {
            return "multi failed " + f.errs();
        } else if (txn instanceof Txn.Multi m) {
            StringBuilder sb = new StringBuilder("multi [");
            for (int i = 0; i < m.ops().size(); i++) {
                sb.append(i == 0 ? "" : "; ").append(describe(m.ops().get(i), withData));
            }
            return sb.append(']').toString();
        }
        return txn.toString();
    }

    static String data(byte[] data, boolean withData) {
        if (data == null) {
            return " data=null";
        }
        if (!withData) {
            return " dataLength=" + data.length;
        }
        return " data=" + Printable.of(data);
    }
}
