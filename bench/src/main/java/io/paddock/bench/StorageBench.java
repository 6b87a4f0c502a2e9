package io.paddock.bench;

import io.paddock.protocol.Acls;
import io.paddock.protocol.OpCode;
import io.paddock.server.storage.Recovery;
import io.paddock.server.storage.SnapshotWriter;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.storage.TxnLog;
import io.paddock.server.tree.SnapshotCursor;
import io.paddock.server.txn.Notification;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Storage figures for N znodes of a given size, in-process on real files: heap retained per
 * znode, time and heap to take a snapshot, time to recover from a snapshot and from the log
 * alone, and the size on disk. Usage: {@code StorageBench <dir> [znodes] [bytes]}.
 */
public final class StorageBench {
    private StorageBench() {
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return mem.getUsed();
    }

    private static long sizeOf(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/paddock-storage-bench");
        int znodes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path snapDir = Files.createDirectories(dir.resolve("snap/version-2"));
        Path logDir = Files.createDirectories(dir.resolve("log/version-2"));
        Random rnd = new Random(1);
        int parents = Math.max(1, (int) Math.sqrt(znodes));

        long heapBefore = usedHeapAfterGc();
        StateMachine sm = new StateMachine(false);
        List<Notification> ignore = new ArrayList<>();
        long zxid = 0;
        long t0 = System.nanoTime();
        try (TxnLog log = new TxnLog(logDir, 64L << 20, false)) {
            for (int p = 0; p < parents; p++) {
                zxid = apply(sm, log, ++zxid, new Txn.Create("/p" + p, null, Acls.OPEN_ACL_UNSAFE, 0, OpCode.CREATE), ignore);
            }
            for (int i = 0; i < znodes; i++) {
                byte[] data = new byte[bytes];
                rnd.nextBytes(data);
                String path = "/p" + (i % parents) + "/n" + i;
                zxid = apply(sm, log, ++zxid, new Txn.Create(path, data, Acls.OPEN_ACL_UNSAFE, 0, OpCode.CREATE), ignore);
            }
            log.sync();
        }
        double populateS = (System.nanoTime() - t0) / 1e9;
        long heapTree = usedHeapAfterGc() - heapBefore;

        long heapBeforeSnap = usedHeapAfterGc();
        t0 = System.nanoTime();
        SnapshotCursor cursor = sm.tree().startSnapshot(sm.lastZxid());
        long cursorHeap = usedHeapAfterGc() - heapBeforeSnap;
        long t1 = System.nanoTime();
        SnapshotWriter w = SnapshotWriter.begin(snapDir, sm.lastZxid(), false, List.copyOf(sm.sessions().all().values()),
                cursor.nodeCount());
        while (!cursor.done()) {
            cursor.emit(2000, w::add);
        }
        w.finish();
        Path snap = w.completion().get();
        double snapS = (System.nanoTime() - t1) / 1e9;

        sm = null;
        cursor = null;
        t0 = System.nanoTime();
        var content = io.paddock.server.storage.SnapshotReader.read(snap);
        double readS = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        content.toStateMachine(false);
        double buildS = (System.nanoTime() - t0) / 1e9;
        content = null;
        long heapIdle = usedHeapAfterGc();
        t0 = System.nanoTime();
        Recovery.Result fromSnapshot = Recovery.recover(snapDir, logDir, false);
        double recoverSnapS = (System.nanoTime() - t0) / 1e9;
        long heapRecovered = usedHeapAfterGc() - heapIdle;
        fromSnapshot = null;

        Files.move(snap, snap.resolveSibling("hidden.snapshot"));
        t0 = System.nanoTime();
        Recovery.Result fromLog = Recovery.recover(snapDir, logDir, false);
        double recoverLogS = (System.nanoTime() - t0) / 1e9;
        long replayed = fromLog.replayed();
        fromLog = null;
        Files.move(snap.resolveSibling("hidden.snapshot"), snap);

        long snapBytes = sizeOf(snapDir, "snapshot.");
        long logBytes = sizeOf(logDir, "log.");
        System.out.printf("znodes                      %,d of %d bytes (+%d parents)%n", znodes, bytes, parents);
        System.out.printf("apply + log (no fsync)      %.1f s%n", populateS);
        System.out.printf("heap retained by the tree   %,d bytes = %.0f bytes/znode%n", heapTree, (double) heapTree / znodes);
        System.out.printf("snapshot: cursor heap       %,d bytes%n", cursorHeap);
        System.out.printf("snapshot: time              %.2f s (%,d bytes)%n", snapS, snapBytes);
        System.out.printf("recover from snapshot       %.2f s, heap %,d bytes (read %.2f s + build tree %.2f s)%n",
                recoverSnapS, heapRecovered, readS, buildS);
        System.out.printf("recover from log only       %.2f s (%,d txns replayed)%n", recoverLogS, replayed);
        System.out.printf("on disk                     snapshot %,d + log %,d bytes%n", snapBytes, logBytes);
        System.out.printf("{\"znodes\":%d,\"bytes\":%d,\"heapPerZnode\":%.0f,\"snapshotSeconds\":%.3f,\"snapshotBytes\":%d,"
                        + "\"cursorHeapBytes\":%d,\"recoverSnapshotSeconds\":%.3f,\"recoverLogSeconds\":%.3f,\"logBytes\":%d}%n",
                znodes, bytes, (double) heapTree / znodes, snapS, snapBytes, cursorHeap, recoverSnapS, recoverLogS, logBytes);
    }

    private static long apply(StateMachine sm, TxnLog log, long zxid, Txn txn, List<Notification> ignore)
            throws IOException {
        TxnHeader h = new TxnHeader(0, 0, zxid, 1_700_000_000_000L + zxid);
        log.append(zxid, TxnCodec.encode(h, txn));
        sm.apply(h, txn, ignore);
        ignore.clear();
        return zxid;
    }
}
