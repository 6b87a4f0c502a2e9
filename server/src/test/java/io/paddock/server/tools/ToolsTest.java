package io.paddock.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.Acls;
import io.paddock.protocol.OpCode;
import io.paddock.server.storage.Recovery;
import io.paddock.server.storage.SnapshotWriter;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.storage.TxnLog;
import io.paddock.server.txn.Notification;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsTest {
    @TempDir
    Path dir;

    private static String run(ThrowingPrinter p, int expectedExit) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = p.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, out);
        return out;
    }

    private interface ThrowingPrinter {
        int print(PrintStream out) throws Exception;
    }

    @Test
    void logToolPrintsTxnsAndPinpointsDamage() throws Exception {
        StateMachine sm = new StateMachine(false);
        List<Notification> ignore = new ArrayList<>();
        try (TxnLog log = new TxnLog(dir, 4096, true)) {
            Txn[] txns = {new Txn.CreateSession(4000, new byte[16]),
                new Txn.Create("/app", "hello".getBytes(StandardCharsets.UTF_8), Acls.OPEN_ACL_UNSAFE, 0, OpCode.CREATE),
                new Txn.SetData("/app", "bye".getBytes(StandardCharsets.UTF_8)),
                new Txn.Multi(List.of(new Txn.Create("/app/x", null, Acls.OPEN_ACL_UNSAFE, 0, OpCode.CREATE),
                        new Txn.Delete("/app/x")))};
            for (int i = 0; i < txns.length; i++) {
                TxnHeader h = new TxnHeader(0x42, i, i + 1, 1_700_000_000_000L);
                sm.apply(h, txns[i], ignore);
                log.append(i + 1, TxnCodec.encode(h, txns[i]));
            }
            log.sync();
        }
        Path segment = Recovery.segments(dir).get(0);
        String out = run(p -> LogTool.print(segment, true, p), 0);
        assertTrue(out.contains("0x2 2023-11-14T22:13:20Z session 0x42 cxid 0x1 create /app data=\"hello\""), out);
        assertTrue(out.contains("setData /app data=\"bye\""), out);
        assertTrue(out.contains("multi [create /app/x data=null"), out);
        assertTrue(out.contains("4 txns") && out.contains("clean"), out);

        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(40);
            f.write(0x33);
        }
        String damaged = run(p -> LogTool.print(segment, false, p), 2);
        assertTrue(damaged.contains("DAMAGED at offset 16: checksum mismatch; intact records follow"), damaged);

        var cursor = sm.tree().startSnapshot(sm.lastZxid());
        SnapshotWriter w = SnapshotWriter.begin(dir, sm.lastZxid(), true, List.copyOf(sm.sessions().all().values()),
                cursor.nodeCount());
        cursor.emit(Integer.MAX_VALUE, w::add);
        w.finish();
        Path snap = w.completion().get();
        String summary = run(p -> SnapshotTool.print(snap, true, true, p), 0);
        assertTrue(summary.contains("zxid 0x4, gzip") && summary.contains("sessions: 1")
                && summary.contains("nodes: 5 (0 ephemeral), data: 3 bytes"), summary);
        assertTrue(summary.contains("/app czxid=0x2 mzxid=0x3") && summary.contains("data=\"bye\""), summary);
        try (RandomAccessFile f = new RandomAccessFile(snap.toFile(), "rw")) {
            f.setLength(f.length() - 3);
        }
        assertTrue(run(p -> SnapshotTool.print(snap, false, false, p), 2).contains("DAMAGED"));
    }
}
