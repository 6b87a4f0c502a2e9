package io.paddock.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.protocol.JuteException;
import io.paddock.protocol.JuteInput;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnCodecTest {
    @Test
    void everyTxnKindRoundTrips() {
        List<TxnCodec.Entry> txns = StorageFixture.txns(7, 2000);
        for (TxnCodec.Entry e : txns) {
            byte[] bytes = TxnCodec.encode(e.header(), e.txn());
            TxnCodec.Entry back = TxnCodec.decode(new JuteInput(bytes));
            assertEquals(e.header(), back.header());
            assertEquals(Arrays.toString(TxnCodec.encode(back.header(), back.txn())), Arrays.toString(bytes));
        }
        assertEquals(StorageFixture.describe(StorageFixture.applyAll(txns)),
                StorageFixture.describe(StorageFixture.applyAll(txns.stream()
                        .map(e -> TxnCodec.decode(new JuteInput(TxnCodec.encode(e.header(), e.txn())))).toList())));
    }

    @Test
    void garbageIsRejected() {
        byte[] bytes = TxnCodec.encode(StorageFixture.txns(1, 1).get(0).header(), StorageFixture.txns(1, 1).get(0).txn());
        bytes[28] = 99;
        assertThrows(JuteException.class, () -> TxnCodec.decode(new JuteInput(bytes)));
        assertThrows(JuteException.class, () -> TxnCodec.decode(new JuteInput(Arrays.copyOf(bytes, 20))));
    }
}
