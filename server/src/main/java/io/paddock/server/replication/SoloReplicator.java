package io.paddock.server.replication;

import io.paddock.protocol.JuteOutput;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.storage.TxnLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A quorum of one: a standalone server commits a proposal once it is in its own log on stable
 * storage. A writer thread takes every proposal waiting, appends them, and covers them all with
 * one fsync (group commit); only then are they committed, so no reply leaves before its txn is
 * durable. The queue is bounded: a slow disk slows the proposer instead of filling the heap.
 */
public final class SoloReplicator implements Replicator {
    private static final Logger LOG = LoggerFactory.getLogger(SoloReplicator.class);
    private static final Object ROLL = new Object();
    private static final Object STOP = new Object();
    private static final int MAX_BATCH = 2000;

    private final TxnLog log;
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(10_000);
    private final Thread writer;
    private Listener listener;
    private volatile boolean failed;

    public SoloReplicator(TxnLog log) {
        this.log = log;
        this.writer = new Thread(this::run, "paddock-log-writer");
        this.writer.setDaemon(true);
    }

    @Override
    public void start(Listener l) {
        this.listener = l;
        writer.start();
    }

    @Override
    public void propose(Proposal proposal) {
        put(proposal);
    }

    @Override
    public void rollLog() {
        put(ROLL);
    }

    private void put(Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while proposing", e);
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        List<Proposal> proposals = new ArrayList<>(MAX_BATCH);
        JuteOutput encoder = new JuteOutput(4096);
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = false;
            for (Object item : batch) {
                if (item == STOP) {
                    stop = true;
                } else if (item instanceof Proposal p) {
                    proposals.add(p);
                }
            }
            if (failed) {
                // Nothing proposed after a failure can be made durable.
                batch.clear();
                proposals.clear();
                if (stop) {
                    return;
                }
                continue;
            }
            try {
                for (Object item : batch) {
                    if (item == ROLL) {
                        log.roll();
                    } else if (item instanceof Proposal p) {
                        encoder.reset();
                        TxnCodec.encode(p.header(), p.txn(), encoder);
                        log.append(p.header().zxid(), encoder.toByteArray());
                    }
                }
                log.sync();
                for (Proposal p : proposals) {
                    listener.committed(p);
                }
            } catch (IOException | RuntimeException e) {
                failed = true;
                LOG.error("the write-ahead log failed ({}); no write can be made durable from now on", e.toString());
                listener.failed(e, List.copyOf(proposals));
            }
            batch.clear();
            proposals.clear();
            if (stop) {
                return;
            }
        }
    }

    @Override
    public void close() {
        put(STOP);
        try {
            writer.join(10_000);
            log.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing the log: {}", e.toString());
        }
    }
}
