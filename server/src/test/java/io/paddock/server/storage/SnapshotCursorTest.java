package io.paddock.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.NodeImage;
import io.paddock.server.tree.SnapshotCursor;
import io.paddock.server.txn.Notification;
import io.paddock.server.txn.StateMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snapshot taken while txns keep being applied is an exact image of the tree at its zxid:
 * copy-on-write of each node's first change keeps what the cursor has not reached yet.
 */
class SnapshotCursorTest {
    @Test
    void snapshotUnderConcurrentChangeIsExact() {
        for (long seed = 1; seed <= 5; seed++) {
            List<TxnCodec.Entry> txns = StorageFixture.txns(seed, 3000);
            int cut = 1500;
            StateMachine live = StorageFixture.applyAll(txns.subList(0, cut));
            var sessionsAtCut = List.copyOf(live.sessions().all().values());
            SnapshotCursor cursor = live.tree().startSnapshot(live.lastZxid());
            List<NodeImage> images = new ArrayList<>();
            List<Notification> ignore = new ArrayList<>();
            int i = cut;
            // Interleave: a few txns, a small slice of the snapshot, and so on.
            while (!cursor.done()) {
                for (int k = 0; k < 7 && i < txns.size(); k++, i++) {
                    live.apply(txns.get(i).header(), txns.get(i).txn(), ignore);
                }
                cursor.emit(13, images::add);
            }
            StateMachine restored = new StateMachine(DataTree.restore(true, images), sessionsAtCut, cut);
            assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns.subList(0, cut))),
                    StorageFixture.describe(restored), "seed " + seed);
        }
    }
}
