package io.paddock.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The producer/consumer hand-off recovery reads files with: order, and failures on either side. */
class HandOffTest {
    @Test
    void everyItemArrivesInOrderAcrossBatches() throws IOException {
        List<Integer> seen = new ArrayList<>();
        HandOff.<Integer>run("test-producer", out -> {
            for (int i = 0; i < 100_000; i++) {
                out.accept(i);
            }
        }, seen::add);
        assertEquals(100_000, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void aProducerFailureIsThrownAsItWasAfterTheItemsBeforeIt() {
        StorageException boom = new StorageException("segment damaged at offset 42");
        List<Integer> seen = new ArrayList<>();
        StorageException thrown = assertThrows(StorageException.class, () -> HandOff.<Integer>run("test-producer", out -> {
            for (int i = 0; i < 5000; i++) {
                out.accept(i);
            }
            throw boom;
        }, seen::add));
        assertSame(boom, thrown);
        assertEquals(5000, seen.size());
        IOException io = new IOException("disk gone");
        assertSame(io, assertThrows(IOException.class, () -> HandOff.<Integer>run("test-producer", out -> {
            throw io;
        }, x -> { })));
    }

    @Test
    void aConsumerFailureStopsTheProducerAndItsThreadHasEnded() {
        AtomicInteger produced = new AtomicInteger();
        AtomicReference<Thread> producer = new AtomicReference<>();
        IllegalStateException bad = new IllegalStateException("snapshot holds /a twice");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> HandOff.<Integer>run(
                "test-producer", out -> {
                    producer.set(Thread.currentThread());
                    for (int i = 0; i < 10_000_000; i++) {
                        out.accept(i);
                        produced.incrementAndGet();
                    }
                }, x -> {
                    if (x == 3000) {
                        throw bad;
                    }
                }));
        assertSame(bad, thrown);
        assertFalse(producer.get().isAlive(), "the producer's thread ended");
        // It gave up once its queue was full instead of producing everything.
        assertTrue(produced.get() < 10_000_000, "produced " + produced.get());
    }
}
