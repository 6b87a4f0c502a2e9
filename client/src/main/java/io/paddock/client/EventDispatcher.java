package io.paddock.client;

import io.paddock.protocol.KeeperState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's single event thread. Watch events, state events and the completions of async
 * calls are all queued here from the network thread in the order they happened, so user code
 * sees them in that order and never runs on the network thread.
 */
final class EventDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final ExecutorService executor;
    private final Watcher defaultWatcher;
    private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();

    EventDispatcher(String name, Watcher defaultWatcher) {
        this.defaultWatcher = defaultWatcher;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void addStateListener(StateListener listener) {
        stateListeners.add(listener);
    }

    void removeStateListener(StateListener listener) {
        stateListeners.remove(listener);
    }

    void execute(Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn("Watcher or callback threw", t);
            }
        };
        try {
            executor.execute(guarded);
        } catch (RejectedExecutionException e) {
            // Only after close: run it here so no future is left hanging.
            guarded.run();
        }
    }

    void node(WatchedEvent event, List<Watcher> watchers) {
        if (watchers.isEmpty()) {
            return;
        }
        execute(() -> {
            for (Watcher w : watchers) {
                try {
                    w.process(event);
                } catch (Throwable t) {
                    LOG.warn("Watcher threw on {}", event, t);
                }
            }
        });
    }

    void state(KeeperState state) {
        execute(() -> {
            if (defaultWatcher != null) {
                try {
                    defaultWatcher.process(WatchedEvent.state(state));
                } catch (Throwable t) {
                    LOG.warn("Default watcher threw on {}", state, t);
                }
            }
            for (StateListener l : stateListeners) {
                try {
                    l.stateChanged(state);
                } catch (Throwable t) {
                    LOG.warn("State listener threw on {}", state, t);
                }
            }
        });
    }

    /** A future completed on the event thread once {@code source} completes. */
    <T> CompletableFuture<T> relay(CompletableFuture<T> source) {
        CompletableFuture<T> out = new CompletableFuture<>();
        source.whenComplete((value, error) -> execute(() -> {
            if (error != null) {
                out.completeExceptionally(error);
            } else {
                out.complete(value);
            }
        }));
        return out;
    }

    /** Lets queued events run, then stops the thread. */
    void shutdown() {
        executor.shutdown();
    }
}
