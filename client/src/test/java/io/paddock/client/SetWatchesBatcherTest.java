package io.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.SetWatches;
import io.paddock.protocol.SetWatches2;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How re-registered watches are cut into setWatches requests. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SetWatchesBatcherTest {

    private static List<String> paths(String prefix, int n, int length) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = "/" + prefix + i;
            out.add(p + "x".repeat(Math.max(0, length - p.length())));
        }
        return out;
    }

    @Test
    void nothingToSendMeansNoRequest() {
        assertEquals(List.of(), SetWatchesBatcher.batches(5, List.of(List.of(), List.of(), List.of(), List.of(), List.of()),
                SetWatchesBatcher.MAX_BATCH_CHARS));
    }

    @Test
    void oneShotWatchesOnlyGoAsSetWatchesWithTheZxid() {
        var batches = SetWatchesBatcher.batches(42, List.of(List.of("/d"), List.of("/e"), List.of("/c"), List.of(), List.of()),
                SetWatchesBatcher.MAX_BATCH_CHARS);
        assertEquals(1, batches.size());
        assertEquals(OpCode.SET_WATCHES, batches.get(0).opCode());
        assertEquals(new SetWatches(42, List.of("/d"), List.of("/e"), List.of("/c")), batches.get(0).body());
    }

    @Test
    void aBatchClosesOnceItsPathsReachTheLimitAndPersistentOnesNeedSetWatches2() {
        // 10 data paths of 100 characters, a limit of 250: batches of 3, 3, 3 and the rest.
        List<String> data = paths("d", 10, 100);
        var batches = SetWatchesBatcher.batches(1, List.of(data, List.of(), List.of(), List.of("/p"), List.of("/r")), 250);
        assertEquals(4, batches.size());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SetWatches w = assertInstanceOf(SetWatches.class, batches.get(i).body());
            assertEquals(OpCode.SET_WATCHES, batches.get(i).opCode());
            assertEquals(3, w.dataWatches().size());
            seen.addAll(w.dataWatches());
        }
        SetWatches2 last = assertInstanceOf(SetWatches2.class, batches.get(3).body());
        assertEquals(OpCode.SET_WATCHES2, batches.get(3).opCode());
        seen.addAll(last.dataWatches());
        assertEquals(data, seen, "every path exactly once, in order");
        assertEquals(List.of("/p"), last.persistentWatches());
        assertEquals(List.of("/r"), last.persistentRecursiveWatches());
    }

    @Test
    void defaultBatchesStayWellUnderJuteMaxBuffer() {
        List<String> exist = paths("e", 3000, 500);
        var batches = SetWatchesBatcher.batches(1, List.of(List.of(), exist, List.of(), List.of(), List.of()),
                SetWatchesBatcher.MAX_BATCH_CHARS);
        assertTrue(batches.size() >= 11, "1.5 MB of paths in 128 KiB batches: " + batches.size());
        for (var b : batches) {
            assertTrue(b.body().toBytes().length < 0xFFFFF / 4, "a batch fits in a frame with room to spare");
        }
    }
}
