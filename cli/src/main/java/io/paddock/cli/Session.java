package io.paddock.cli;

import io.paddock.client.ClientState;
import io.paddock.client.PaddockClient;
import io.paddock.client.WatchedEvent;
import io.paddock.client.Watcher;
import io.paddock.protocol.EventType;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The shell's state: the current client (replaced by {@code connect}, ended by {@code close}),
 * where output goes, whether watch events are printed, and the numbered command history that
 * {@code history} and {@code redo} use.
 */
public final class Session implements AutoCloseable {
    private final Duration timeout;
    private final boolean readOnly;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean printStateEvents;
    private final List<String> history = new ArrayList<>();
    /** Every watch this shell sets uses this one watcher, so removewatches can name it. */
    private final Watcher watcher = this::onEvent;
    private volatile Consumer<String> eventSink;
    private volatile boolean printWatches = true;
    private volatile String server;
    private volatile PaddockClient client;
    private boolean quit;

    /**
     * @param printStateEvents whether session state changes (connected, disconnected...) are
     *     printed like watch events; the interactive shell does, a one-shot command does not
     */
    public Session(String server, Duration timeout, boolean readOnly, PrintStream out, PrintStream err,
            boolean printStateEvents) {
        this.server = server;
        this.timeout = timeout;
        this.readOnly = readOnly;
        this.out = out;
        this.err = err;
        this.printStateEvents = printStateEvents;
        this.eventSink = out::println;
    }

    /** Closes any current client and starts connecting to {@code connectString}; does not wait. */
    public void connect(String connectString) {
        PaddockClient old = client;
        if (old != null) {
            old.close();
        }
        server = connectString;
        client = PaddockClient.builder(connectString).sessionTimeout(timeout).canBeReadOnly(readOnly)
                .watcher(watcher).build();
    }

    /**
     * The client, once connected: a command issued while the client is still connecting waits at
     * most the session timeout. Fails with "Not connected" after {@code close} or session end.
     */
    public PaddockClient client() throws InterruptedException {
        PaddockClient c = client;
        if (c == null || !c.state().isAlive()) {
            throw new CliException("Not connected");
        }
        if (!c.state().isConnected() && !c.awaitConnected(timeout)) {
            throw new CliException("Unable to connect to " + server + " within " + timeout.toMillis() + " ms");
        }
        return c;
    }

    /** The client even when closed (for completion and the prompt), or null. */
    PaddockClient rawClient() {
        return client;
    }

    /** Closes the session; the shell stays usable for {@code connect}. */
    @Override
    public void close() {
        PaddockClient c = client;
        if (c != null) {
            c.close();
        }
    }

    public Watcher watcher() {
        return watcher;
    }

    private void onEvent(WatchedEvent event) {
        if (!printWatches || (event.type() == EventType.NONE && !printStateEvents)) {
            return;
        }
        eventSink.accept(EventText.format(event));
    }

    /** Where watch events are printed; the interactive shell prints them above the prompt. */
    void eventSink(Consumer<String> sink) {
        this.eventSink = sink;
    }

    /** State shown in the prompt, in Apache's spelling. */
    public String stateName() {
        PaddockClient c = client;
        if (c == null) {
            return "CLOSED";
        }
        ClientState s = c.state();
        return s == ClientState.CONNECTED_READ_ONLY ? "CONNECTEDREADONLY" : s.name();
    }

    public String server() {
        return server;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public boolean printWatches() {
        return printWatches;
    }

    public void printWatches(boolean on) {
        this.printWatches = on;
    }

    /** Records a command line and returns its number (0, 1, ...). */
    public int record(String line) {
        history.add(line);
        return history.size() - 1;
    }

    /** Replaces entry {@code n}, as redo does with the command it repeats. */
    void replace(int n, String line) {
        history.set(n, line);
    }

    public List<String> history() {
        return history;
    }

    public void quit() {
        quit = true;
    }

    public boolean quitRequested() {
        return quit;
    }
}
