package io.paddock.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage operations the ensemble's synchronization needs, on real files. */
class EnsembleStorageTest {
    @TempDir
    Path dir;

    @Test
    void readFromAZxidAcrossSegments() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(21, 1000);
        StorageFixture.writeLog(dir, txns, 150);
        List<Long> read = new ArrayList<>();
        LogAccess.readFrom(dir, 437, e -> read.add(e.header().zxid()));
        assertEquals(564, read.size());
        assertEquals(437L, read.get(0));
        assertEquals(1000L, read.get(read.size() - 1));
    }

    @Test
    void truncateAfterCutsTheLogBackAndRecoveryAgrees() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(22, 1000);
        StorageFixture.writeLog(dir, txns, 150);
        assertEquals(400, LogAccess.truncateAfter(dir, 600));
        Path empty = Files.createDirectories(dir.resolve("nosnap"));
        Recovery.Result r = Recovery.recover(empty, dir, true);
        assertEquals(600, r.state().lastZxid());
        assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns.subList(0, 600))), StorageFixture.describe(r.state()));
        try (TxnLog log = new TxnLog(dir, 4096, true)) {
            TxnCodec.Entry next = txns.get(600);
            log.append(601, TxnCodec.encode(next.header(), next.txn()));
            log.sync();
        }
        assertEquals(601, Recovery.recover(empty, dir, true).state().lastZxid());
    }

    @Test
    void epochFilesAreWrittenWholeAndReadBack() throws Exception {
        assertEquals(-1, EpochFiles.read(dir, EpochFiles.ACCEPTED));
        EpochFiles.write(dir, EpochFiles.ACCEPTED, 7);
        EpochFiles.write(dir, EpochFiles.CURRENT, 6);
        assertEquals(7, EpochFiles.read(dir, EpochFiles.ACCEPTED));
        assertEquals(6, EpochFiles.read(dir, EpochFiles.CURRENT));
        EpochFiles.write(dir, EpochFiles.ACCEPTED, 8);
        assertEquals(8, EpochFiles.read(dir, EpochFiles.ACCEPTED));
        assertFalse(Files.exists(dir.resolve("acceptedEpoch.tmp")));
        Files.writeString(dir.resolve(EpochFiles.CURRENT), "x7");
        StorageException e = assertThrows(StorageException.class, () -> EpochFiles.read(dir, EpochFiles.CURRENT));
        assertTrue(e.getMessage().contains("currentEpoch") && e.getMessage().contains("x7"), e.getMessage());
    }

    private static Storage storage(Path dataDir) throws Exception {
        Properties p = new Properties();
        p.setProperty("dataDir", dataDir.toString());
        p.setProperty("clientPort", "0");
        p.setProperty("extendedTypesEnabled", "true");
        return new Storage(ServerConfig.parse(p, "test"));
    }

    @Test
    void snapshotStreamsOutAndInstallsElsewhere() throws Exception {
        List<TxnCodec.Entry> txns = StorageFixture.txns(23, 500);
        var sm = StorageFixture.applyAll(txns);
        try (Storage source = storage(dir.resolve("a")); Storage target = storage(dir.resolve("b"))) {
            var cursor = sm.tree().startSnapshot(sm.lastZxid());
            SnapshotWriter w = source.beginSnapshot(sm.lastZxid(), List.copyOf(sm.sessions().all().values()),
                    cursor.nodeCount());
            cursor.emit(Integer.MAX_VALUE, w::add);
            w.finish();
            w.completion().get();
            byte[] stream = Files.readAllBytes(source.newestSnapshot());
            assertEquals(500, target.installSnapshot(new ByteArrayInputStream(stream)));
            assertEquals(StorageFixture.describe(sm), StorageFixture.describe(target.recover().state()));
            byte[] broken = stream.clone();
            broken[100] ^= 1;
            assertThrows(StorageException.class, () -> target.installSnapshot(new ByteArrayInputStream(broken)));
            assertEquals(1, Recovery.snapshots(target.snapshotDir()).size(), "a bad stream leaves nothing behind");
        }
    }

    @Test
    void aSecondServerCannotShareTheDataDirectory() throws Exception {
        try (Storage first = storage(dir)) {
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> storage(dir));
            assertTrue(e.getMessage().contains("in use by another server"), e.getMessage());
        }
    }
}
