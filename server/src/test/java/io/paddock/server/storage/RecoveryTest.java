package io.paddock.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.txn.StateMachine;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery from real files, one case of damage per test, each checking the outcome and the message. */
class RecoveryTest {
    @TempDir
    Path dir;

    private Path snaps() throws IOException {
        return Files.createDirectories(dir.resolve("snap"));
    }

    private Path logs() throws IOException {
        return Files.createDirectories(dir.resolve("log"));
    }

    private static List<Long> recordOffsets(Path segment) throws IOException {
        List<Long> offsets = new ArrayList<>();
        LogReader.scan(segment, r -> offsets.add(r.offset()));
        return offsets;
    }

    private static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    private static byte readByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            return f.readByte();
        }
    }

    @Test
    void cleanLogReplaysEverythingAcrossSegments() throws IOException {
        List<TxnCodec.Entry> txns = StorageFixture.txns(1, 1500);
        StorageFixture.writeLog(logs(), txns, 400);
        assertEquals(4, Recovery.segments(logs()).size());
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(1500, r.replayed());
        assertTrue(r.warnings().isEmpty());
        assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns)), StorageFixture.describe(r.state()));
    }

    @Test
    void tornRecordAtTheEndIsTruncatedWithAWarning() throws IOException {
        List<TxnCodec.Entry> txns = StorageFixture.txns(2, 300);
        StorageFixture.writeLog(logs(), txns, 1000);
        Path segment = Recovery.segments(logs()).get(0);
        List<Long> offsets = recordOffsets(segment);
        long last = offsets.get(offsets.size() - 1);
        // A crash in the middle of the last write: its tail never reached the disk.
        overwrite(segment, last + 12, new byte[40]);
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(299, r.replayed());
        assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns.subList(0, 299))), StorageFixture.describe(r.state()));
        assertEquals(1, r.warnings().size());
        String w = r.warnings().get(0);
        assertTrue(w.contains(segment.toString()) && w.contains("offset " + last) && w.contains("torn"), w);
        assertEquals(last, Files.size(segment), "the torn record is cut off");
        assertTrue(Recovery.recover(snaps(), logs(), true).warnings().isEmpty(), "a second start finds a clean log");
    }

    @Test
    void damageInsideTheLastSegmentRefusesToStart() throws IOException {
        StorageFixture.writeLog(logs(), StorageFixture.txns(3, 300), 1000);
        Path segment = Recovery.segments(logs()).get(0);
        long victim = recordOffsets(segment).get(100);
        overwrite(segment, victim + 20, new byte[] {(byte) (readByte(segment, victim + 20) ^ 0x55)});
        StorageException e = assertThrows(StorageException.class, () -> Recovery.recover(snaps(), logs(), true));
        assertTrue(e.getMessage().contains(segment.toString()) && e.getMessage().contains("offset " + victim)
                && e.getMessage().contains("checksum mismatch") && e.getMessage().contains("intact records follow"),
                e.getMessage());
    }

    @Test
    void damageInAnEarlierSegmentRefusesToStart() throws IOException {
        StorageFixture.writeLog(logs(), StorageFixture.txns(4, 600), 200);
        Path first = Recovery.segments(logs()).get(0);
        List<Long> offsets = recordOffsets(first);
        long victim = offsets.get(offsets.size() - 1);
        overwrite(first, victim, new byte[] {0x7f, 0, 0, 0});
        StorageException e = assertThrows(StorageException.class, () -> Recovery.recover(snaps(), logs(), true));
        assertTrue(e.getMessage().contains(first.toString()) && e.getMessage().contains("offset " + victim)
                && e.getMessage().contains("later segments follow"), e.getMessage());
    }

    @Test
    void truncatedEarlierSegmentRefusesToStart() throws IOException {
        StorageFixture.writeLog(logs(), StorageFixture.txns(5, 600), 200);
        Path first = Recovery.segments(logs()).get(0);
        long cut = recordOffsets(first).get(50) + 5;
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.setLength(cut);
        }
        StorageException e = assertThrows(StorageException.class, () -> Recovery.recover(snaps(), logs(), true));
        assertTrue(e.getMessage().contains(first.toString()) && e.getMessage().contains("offset " + (cut - 5)), e.getMessage());
    }

    @Test
    void aGapBetweenSegmentsRefusesToStart() throws IOException {
        StorageFixture.writeLog(logs(), StorageFixture.txns(6, 600), 200);
        Files.delete(Recovery.segments(logs()).get(1));
        StorageException e = assertThrows(StorageException.class, () -> Recovery.recover(snaps(), logs(), true));
        assertTrue(e.getMessage().contains("cannot be applied after"), e.getMessage());
    }

    @Test
    void tornHeaderOfTheLastSegmentIsRemoved() throws IOException {
        List<TxnCodec.Entry> txns = StorageFixture.txns(7, 300);
        StorageFixture.writeLog(logs(), txns, 1000);
        Path extra = logs().resolve(LogFormat.fileName(301));
        Files.write(extra, new byte[] {0x50, 0x44});
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(300, r.replayed());
        assertFalse(Files.exists(extra));
        assertTrue(r.warnings().get(0).contains(extra.toString()), r.warnings().toString());
    }

    private long snapshot(StateMachine sm, boolean compress) throws Exception {
        var cursor = sm.tree().startSnapshot(sm.lastZxid());
        SnapshotWriter w = SnapshotWriter.begin(snaps(), sm.lastZxid(), compress,
                List.copyOf(sm.sessions().all().values()), cursor.nodeCount());
        while (!cursor.done()) {
            cursor.emit(100, w::add);
        }
        w.finish();
        w.completion().get();
        return sm.lastZxid();
    }

    @Test
    void snapshotPlusLogRecoversAndCompressedSnapshotsWork() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(8, 1000);
        StorageFixture.writeLog(logs(), txns, 300);
        snapshot(StorageFixture.applyAll(txns.subList(0, 400)), false);
        snapshot(StorageFixture.applyAll(txns.subList(0, 700)), true);
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(700, r.snapshotZxid());
        assertEquals(300, r.replayed());
        assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns)), StorageFixture.describe(r.state()));
    }

    @Test
    void damagedNewestSnapshotFallsBackToAnOlderOne() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(9, 1000);
        StorageFixture.writeLog(logs(), txns, 300);
        snapshot(StorageFixture.applyAll(txns.subList(0, 400)), false);
        snapshot(StorageFixture.applyAll(txns.subList(0, 700)), false);
        Path newest = Recovery.snapshots(snaps()).get(0);
        overwrite(newest, 500, new byte[] {(byte) (readByte(newest, 500) ^ 1)});
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(400, r.snapshotZxid());
        assertEquals(600, r.replayed());
        assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns)), StorageFixture.describe(r.state()));
        assertTrue(r.warnings().get(0).contains(newest.toString()) && r.warnings().get(0).contains("checksum"),
                r.warnings().toString());
    }

    @Test
    void truncatedSnapshotIsNeverLoaded() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(10, 500);
        StorageFixture.writeLog(logs(), txns, 1000);
        snapshot(StorageFixture.applyAll(txns.subList(0, 300)), true);
        Path snap = Recovery.snapshots(snaps()).get(0);
        try (RandomAccessFile f = new RandomAccessFile(snap.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(0, r.snapshotZxid());
        assertEquals(500, r.replayed(), "the log still reaches back to the start");
        assertTrue(r.warnings().get(0).contains("incomplete") || r.warnings().get(0).contains("damaged"), r.warnings().toString());
    }

    @Test
    void noUsableSnapshotAndAPurgedLogRefusesToStart() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(11, 900);
        StorageFixture.writeLog(logs(), txns, 300);
        snapshot(StorageFixture.applyAll(txns.subList(0, 600)), false);
        Files.delete(Recovery.segments(logs()).get(0));
        Path snap = Recovery.snapshots(snaps()).get(0);
        overwrite(snap, 0, new byte[] {0, 0, 0, 0});
        StorageException e = assertThrows(StorageException.class, () -> Recovery.recover(snaps(), logs(), true));
        assertTrue(e.getMessage().contains("no usable snapshot") && e.getMessage().contains(snap.toString()), e.getMessage());
    }

    @Test
    void unfinishedSnapshotFilesAreRemoved() throws Exception {
        Files.write(snaps().resolve("snapshot.5.tmp"), new byte[100]);
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertFalse(Files.exists(snaps().resolve("snapshot.5.tmp")));
        assertEquals(1, r.warnings().size());
    }

    @Test
    void purgeKeepsWhatRecoveryNeeds() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(12, 1200);
        StorageFixture.writeLog(logs(), txns, 200);
        for (int upTo : new int[] {200, 400, 600, 800, 1000}) {
            snapshot(StorageFixture.applyAll(txns.subList(0, upTo)), false);
        }
        Purge.Result purged = Purge.run(snaps(), logs(), 3);
        assertEquals(2, Recovery.snapshots(snaps()).size() == 3 ? 2 : -1, "two old snapshots deleted");
        assertEquals(List.of(600L, 800L, 1000L).size(), Recovery.snapshots(snaps()).size());
        assertTrue(purged.deleted().size() >= 4, purged.deleted().toString());
        // Recovery from the oldest kept snapshot must still work: damage the two newer ones.
        for (Path p : Recovery.snapshots(snaps()).subList(0, 2)) {
            overwrite(p, 0, new byte[] {1});
        }
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(600, r.snapshotZxid());
        assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns)), StorageFixture.describe(r.state()));
    }

    @Test
    void aSegmentLeftEmptyByACrashIsReplacedOnTheNextStart() throws IOException {
        List<TxnCodec.Entry> txns = StorageFixture.txns(13, 100);
        StorageFixture.writeLog(logs(), txns, 1000);
        // A crash right after the next segment was created, before its first record.
        try (TxnLog log = new TxnLog(logs(), 4096, true)) {
            log.roll();
        }
        Path empty = logs().resolve(LogFormat.fileName(101));
        java.nio.file.Files.write(empty, java.nio.ByteBuffer.allocate(16).putInt(LogFormat.MAGIC).putInt(LogFormat.VERSION)
                .putLong(101).array());
        Recovery.Result r = Recovery.recover(snaps(), logs(), true);
        assertEquals(100, r.state().lastZxid());
        List<TxnCodec.Entry> more = StorageFixture.txns(13, 150).subList(100, 150);
        try (TxnLog log = new TxnLog(logs(), 4096, true)) {
            for (TxnCodec.Entry e : more) {
                log.append(e.header().zxid(), TxnCodec.encode(e.header(), e.txn()));
            }
            log.sync();
        }
        assertEquals(150, Recovery.recover(snaps(), logs(), true).state().lastZxid());
    }
}
