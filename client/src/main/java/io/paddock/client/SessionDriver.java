package io.paddock.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.paddock.protocol.AuthPacket;
import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.WatcherEvent;
import io.paddock.protocol.Xid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session state machine. It owns the current {@link Connection}, the requests waiting for a
 * connection, the requests sent and not yet answered (a FIFO: a server answers in order), and
 * the session's identity. It moves between CONNECTING and CONNECTED as connections come and go,
 * re-attaching the same session each time, and ends in EXPIRED, AUTH_FAILED or CLOSED.
 *
 * <p>Every method runs on the single network thread; {@link #submit} and {@link #execute} are
 * the ways in from other threads.
 */
final class SessionDriver implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionDriver.class);
    private static final long SWEEP_PERIOD_MS = 50;
    private static final long BACKOFF_BASE_MS = 50;
    /** While read-only, the wait before the first look for a read-write server, doubled after each (Apache's). */
    private static final long MIN_RW_SEARCH_MS = 100;
    private static final long MAX_RW_SEARCH_MS = 60_000;
    private static final int ISRO_TIMEOUT_MS = 1000;

    /** Everything a driver needs that the client decides. */
    record Settings(int sessionTimeoutMs, long requestTimeoutMs, boolean canBeReadOnly, int maxFrameBytes,
                    long maxBackoffMs, long initialSessionId, byte[] initialPassword, SaslLogin sasl) {
    }

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final HostProvider hosts;
    private final Backoff backoff;
    private final Chroot chroot;
    private final WatchManager watches;
    private final EventDispatcher events;
    private final Settings settings;

    private final List<AuthPacket> credentials = new ArrayList<>();
    private final PendingRequests pending;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private volatile ClientState state = ClientState.CONNECTING;
    private volatile long sessionId;
    private volatile byte[] password;
    private volatile int negotiatedTimeoutMs;
    private long lastZxid;
    private boolean seenReadWriteServer;
    private boolean closing;
    private Connection connection;
    private boolean handshakeDone;
    /** A SASL login is under way on this connection: everything else waits for it, as in Apache's client. */
    private boolean saslInProgress;
    private long lastHeardNanos;
    private ScheduledFuture<?> sweeper;
    /** While read-only: the wait before the next look for a read-write server. */
    private long rwSearchDelayMs = MIN_RW_SEARCH_MS;
    /** A server found read-write while connected read-only: the next connection goes there. */
    private java.net.InetSocketAddress readWriteServer;

    SessionDriver(EventLoop loop, Bootstrap bootstrap, HostProvider hosts, Chroot chroot, WatchManager watches,
                  EventDispatcher events, Settings settings, Random random) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.hosts = hosts;
        this.chroot = chroot;
        this.watches = watches;
        this.events = events;
        this.settings = settings;
        this.backoff = new Backoff(hosts.size(), BACKOFF_BASE_MS, settings.maxBackoffMs(), random);
        this.pending = new PendingRequests(settings.requestTimeoutMs());
        this.sessionId = settings.initialSessionId();
        this.password = settings.initialPassword() != null ? settings.initialPassword().clone()
                : new byte[ConnectResponse.PASSWORD_LENGTH];
        // A session handed in by the caller was obtained from some server: re-attach it as is.
        this.seenReadWriteServer = settings.initialSessionId() != 0;
    }

    // ---- ways in from other threads -------------------------------------------------------

    void start() {
        loop.execute(() -> {
            lastHeardNanos = System.nanoTime();
            sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_PERIOD_MS, SWEEP_PERIOD_MS, TimeUnit.MILLISECONDS);
            connectNext();
        });
    }

    /** Queues a request; it is sent now if connected, else after the next handshake. */
    void submit(Call<?> call) {
        try {
            loop.execute(() -> enqueue(call));
        } catch (RejectedExecutionException e) {
            call.fail(terminalCode());
        }
    }

    /** Sends credentials now (if connected) and after every future handshake. */
    void addAuth(AuthPacket packet, Call<Void> call) {
        try {
            loop.execute(() -> {
                if (!state.isAlive() || closing) {
                    call.fail(terminalCode());
                    return;
                }
                credentials.add(packet);
                pending.stamp(call);
                if (state.isConnected() && !saslInProgress) {
                    pending.sendAuth(connection, call);
                } else {
                    // Completed by the handshake that replays the credentials.
                    pending.awaitAuth(packet, call);
                }
            });
        } catch (RejectedExecutionException e) {
            call.fail(terminalCode());
        }
    }

    /** Runs a task on the network thread (or fails quietly once the client is gone). */
    boolean execute(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Sends closeSession if connected, then stops. Completes when the client is fully closed. */
    CompletableFuture<Void> close(long waitMs) {
        if (!execute(() -> beginClose(waitMs))) {
            closed.complete(null);
        }
        return closed;
    }

    ClientState state() {
        return state;
    }

    long sessionId() {
        return sessionId;
    }

    byte[] password() {
        return password.clone();
    }

    int negotiatedTimeoutMs() {
        return negotiatedTimeoutMs;
    }

    boolean inEventLoop() {
        return loop.inEventLoop();
    }

    // ---- requests --------------------------------------------------------------------------

    private void enqueue(Call<?> call) {
        if (!state.isAlive() || closing) {
            call.fail(terminalCode());
            return;
        }
        pending.stamp(call);
        if (state.isConnected() && !saslInProgress) {
            pending.send(connection, call);
        } else {
            pending.await(call);
        }
    }

    private ErrorCode terminalCode() {
        return state == ClientState.AUTH_FAILED ? ErrorCode.AUTH_FAILED : ErrorCode.SESSION_EXPIRED;
    }

    /** Fails requests whose time is up, and declares the session expired after long silence. */
    private void sweep() {
        long now = System.nanoTime();
        pending.expireOverdue(now);
        if (!handshakeDone && state.isAlive() && !closing && negotiatedTimeoutMs > 0) {
            long silentMs = TimeUnit.NANOSECONDS.toMillis(now - lastHeardNanos);
            // Apache's client (3.9.3+) gives up at 4/3 of the timeout: by then the server has
            // expired the session, since it heard nothing either.
            if (silentMs > negotiatedTimeoutMs * 4L / 3) {
                expire("no server reachable for " + silentMs + " ms");
            }
        }
    }

    // ---- connecting -------------------------------------------------------------------------

    private void connectNext() {
        if (!state.isAlive() || closing) {
            return;
        }
        int timeout = negotiatedTimeoutMs > 0 ? negotiatedTimeoutMs : settings.sessionTimeoutMs();
        int connectTimeout = Math.max(100, timeout / hosts.size());
        boolean reattach = seenReadWriteServer && sessionId != 0;
        ConnectRequest request = new ConnectRequest(0, lastZxid, settings.sessionTimeoutMs(),
                reattach ? sessionId : 0, reattach ? password : new byte[ConnectResponse.PASSWORD_LENGTH],
                settings.canBeReadOnly(), true);
        handshakeDone = false;
        var address = readWriteServer != null ? readWriteServer : hosts.next();
        readWriteServer = null;
        LOG.debug("Connecting to {} (session 0x{})", address, Long.toHexString(sessionId));
        // Assigned before connecting: a connection can fail inside connect() and must be recognised.
        connection = new Connection(this, request, connectTimeout, address);
        connection.connect(bootstrap, settings.maxFrameBytes());
    }

    private void scheduleReconnect() {
        long delay = backoff.nextDelayMs();
        loop.schedule(this::connectNext, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onHandshake(Connection conn, ConnectResponse response) {
        if (conn != connection) {
            conn.close(new IOException("stale connection"));
            return;
        }
        lastHeardNanos = System.nanoTime();
        boolean reattach = seenReadWriteServer && sessionId != 0;
        // Java clients look at the timeout, C clients at the id: honour both signals.
        if (response.timeOut() <= 0 || (reattach && response.sessionId() != sessionId)) {
            expire("server " + conn.address() + " reports session 0x" + Long.toHexString(sessionId) + " expired");
            return;
        }
        handshakeDone = true;
        sessionId = response.sessionId();
        password = response.passwd() != null ? response.passwd().clone() : new byte[ConnectResponse.PASSWORD_LENGTH];
        negotiatedTimeoutMs = response.timeOut();
        boolean readOnly = response.readOnly();
        if (!readOnly) {
            seenReadWriteServer = true;
            rwSearchDelayMs = MIN_RW_SEARCH_MS;
        }
        backoff.reset();
        state = readOnly ? ClientState.CONNECTED_READ_ONLY : ClientState.CONNECTED;
        LOG.debug("Session 0x{} attached to {} (timeout {} ms{})", Long.toHexString(sessionId), conn.address(),
                negotiatedTimeoutMs, readOnly ? ", read-only" : "");
        events.state(readOnly ? KeeperState.CONNECTED_READ_ONLY : KeeperState.SYNC_CONNECTED);
        if (readOnly) {
            scheduleReadWriteSearch(conn);
        }
        if (settings.sasl() != null) {
            startSasl(conn);
        } else {
            startServing(conn);
        }
    }

    /** After the handshake (and the SASL login, if any): pings, credentials, watches, then waiting requests. */
    private void startServing(Connection conn) {
        // Pings wait for the login too: a server that enforces authentication refuses them before it.
        conn.startPinging(negotiatedTimeoutMs);
        // Order matters: credentials first, so re-registered watches and queued requests run
        // with the caller's identity; then the watches, so their catch-up events come before
        // any reply to a request issued while disconnected.
        pending.replayAuth(conn, credentials);
        resendWatches(conn);
        pending.sendWaiting(conn);
    }

    // ---- read-only: looking for a read-write server ------------------------------------------

    private void scheduleReadWriteSearch(Connection conn) {
        long delay = rwSearchDelayMs;
        rwSearchDelayMs = Math.min(2 * rwSearchDelayMs, MAX_RW_SEARCH_MS);
        loop.schedule(() -> searchReadWrite(conn), delay, TimeUnit.MILLISECONDS);
    }

    /** Asks the next host whether it takes writes; if it does, leaves this read-only server for it. */
    private void searchReadWrite(Connection conn) {
        if (conn != connection || state != ClientState.CONNECTED_READ_ONLY || closing) {
            return;
        }
        var address = hosts.next();
        IsroProbe.readWrite(bootstrap, address, ISRO_TIMEOUT_MS).thenAccept(rw -> execute(() -> {
            if (conn != connection || state != ClientState.CONNECTED_READ_ONLY || closing) {
                return;
            }
            if (rw) {
                LOG.info("Session 0x{}: {} takes writes; leaving read-only server {}", Long.toHexString(sessionId),
                        address, conn.address());
                rwSearchDelayMs = MIN_RW_SEARCH_MS;
                readWriteServer = address;
                conn.close(new IOException("read-write server found at " + address));
            } else {
                scheduleReadWriteSearch(conn);
            }
        }));
    }

    // ---- SASL ---------------------------------------------------------------------------------

    private void startSasl(Connection conn) {
        saslInProgress = true;
        SaslClient client;
        byte[] first;
        try {
            client = settings.sasl().newClient(conn.address());
            first = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
        } catch (SaslException e) {
            LOG.warn("SASL login as {} could not start: {}", settings.sasl().who(), e.getMessage());
            authFailed(conn);
            return;
        }
        sendSasl(conn, client, first);
    }

    private void sendSasl(Connection conn, SaslClient client, byte[] token) {
        Call<byte[]> call = Requests.sasl(token);
        pending.stamp(call);
        // Completed on this thread, by the reply or by the connection's loss.
        call.result.whenComplete((serverToken, failure) -> saslReply(conn, client, serverToken, failure));
        pending.send(conn, call);
    }

    private void saslReply(Connection conn, SaslClient client, byte[] serverToken, Throwable failure) {
        if (conn != connection || !state.isAlive()) {
            return;
        }
        if (failure != null) {
            ErrorCode code = failure instanceof PaddockException p ? p.code() : null;
            if (code == ErrorCode.AUTH_FAILED || code == ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH) {
                LOG.warn("SASL login as {} refused by {}", settings.sasl().who(), conn.address());
                authFailed(conn);
            }
            return; // a lost connection: the next one logs in again
        }
        try {
            byte[] next = client.isComplete() ? null : client.evaluateChallenge(serverToken == null ? new byte[0] : serverToken);
            // GSSAPI completes on the token that answers the server's last challenge, which the
            // server still needs; DIGEST-MD5 completes on the server's rspauth, with nothing to send.
            if (!client.isComplete() || next != null) {
                sendSasl(conn, client, next);
                return;
            }
        } catch (SaslException e) {
            LOG.warn("SASL login as {} failed: {}", settings.sasl().who(), e.getMessage());
            authFailed(conn);
            return;
        }
        saslInProgress = false;
        events.state(KeeperState.SASL_AUTHENTICATED);
        startServing(conn);
    }

    private void resendWatches(Connection conn) {
        if (watches.isEmpty()) {
            return;
        }
        List<List<String>> lists = new ArrayList<>(5);
        for (WatchManager.Kind kind : WatchManager.Kind.values()) {
            List<String> paths = watches.paths(kind);
            paths.replaceAll(chroot::toServer);
            lists.add(paths);
        }
        for (SetWatchesBatcher.Batch batch : SetWatchesBatcher.batches(lastZxid, lists, SetWatchesBatcher.MAX_BATCH_CHARS)) {
            Call<Void> call = Requests.setWatches(batch);
            pending.stamp(call);
            call.result.whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("Re-registering watches failed: {}", e.getMessage());
                }
            });
            pending.send(conn, call);
        }
    }

    @Override
    public void onFrame(Connection conn, ReplyHeader header, JuteInput body) {
        if (conn != connection) {
            return;
        }
        lastHeardNanos = System.nanoTime();
        switch (header.xid()) {
            case Xid.PING -> {
                // Liveness only; the zxid of a ping reply is not recorded (as Apache's client).
            }
            case Xid.NOTIFICATION -> notification(WatcherEvent.readFrom(body));
            case Xid.AUTH -> authReply(conn, header);
            default -> reply(conn, header, body);
        }
    }

    private void notification(WatcherEvent event) {
        EventType type = EventType.fromCode(event.type());
        String path = chroot.toClient(event.path());
        List<Watcher> targets = watches.materialize(type, path);
        events.node(WatchedEvent.node(type, path), targets);
    }

    private void authReply(Connection conn, ReplyHeader header) {
        Call<?> call = pending.authAnswered();
        if (header.err() == ErrorCode.AUTH_FAILED.code()) {
            if (call != null) {
                call.fail(ErrorCode.AUTH_FAILED);
            }
            authFailed(conn);
            return;
        }
        if (call != null) {
            call.complete(header.err(), null);
        }
    }

    private void reply(Connection conn, ReplyHeader header, JuteInput body) {
        Call<?> call = pending.answered(header.xid());
        if (call == null) {
            conn.close(new IOException("reply with xid " + header.xid() + " does not answer the oldest request"));
            return;
        }
        if (header.zxid() > 0) {
            lastZxid = header.zxid();
        }
        try {
            call.complete(header.err(), body);
        } catch (RuntimeException e) {
            conn.close(new IOException("undecodable reply to op " + call.opCode + ": " + e.getMessage(), e));
            return;
        }
        if (call.opCode == OpCode.CLOSE_SESSION) {
            finishClose();
        }
    }

    @Override
    public void onClosed(Connection conn, Throwable cause) {
        if (conn != connection) {
            return;
        }
        connection = null;
        boolean wasConnected = handshakeDone;
        handshakeDone = false;
        saslInProgress = false;
        pending.failSent(ErrorCode.CONNECTION_LOSS);
        if (closing) {
            finishClose();
            return;
        }
        if (!state.isAlive()) {
            return;
        }
        if (wasConnected) {
            LOG.info("Session 0x{} lost its connection to {}: {}", Long.toHexString(sessionId), conn.address(),
                    cause.getMessage());
            state = ClientState.CONNECTING;
            events.state(KeeperState.DISCONNECTED);
        } else {
            LOG.debug("Connection attempt to {} failed: {}", conn.address(), cause.toString());
        }
        scheduleReconnect();
    }

    // ---- endings ----------------------------------------------------------------------------

    private void expire(String reason) {
        LOG.info("Session 0x{} expired: {}", Long.toHexString(sessionId), reason);
        terminate(ClientState.EXPIRED, KeeperState.EXPIRED, ErrorCode.SESSION_EXPIRED);
    }

    private void authFailed(Connection conn) {
        LOG.warn("Authentication failed on {}; the client stops", conn.address());
        terminate(ClientState.AUTH_FAILED, KeeperState.AUTH_FAILED, ErrorCode.AUTH_FAILED);
    }

    private void terminate(ClientState finalState, KeeperState event, ErrorCode code) {
        state = finalState;
        handshakeDone = false;
        saslInProgress = false;
        Connection conn = connection;
        connection = null;
        if (conn != null) {
            conn.close(new IOException("session ended: " + finalState));
        }
        pending.failSent(code);
        pending.failWaiting(code);
        watches.clear();
        events.state(event);
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    private void beginClose(long waitMs) {
        if (closing || closed.isDone()) {
            return;
        }
        closing = true;
        if (state.isConnected() && connection != null) {
            Call<Void> call = Requests.closeSession();
            pending.stamp(call);
            pending.send(connection, call);
            // A server that never answers must not hold close() up.
            loop.schedule(this::finishClose, waitMs, TimeUnit.MILLISECONDS);
        } else {
            finishClose();
        }
    }

    private void finishClose() {
        if (closed.isDone()) {
            return;
        }
        boolean wasAlive = state.isAlive();
        state = wasAlive ? ClientState.CLOSED : state;
        Connection conn = connection;
        connection = null;
        if (conn != null) {
            conn.close(new IOException("client closed"));
        }
        pending.failSent(ErrorCode.CONNECTION_LOSS);
        pending.failWaiting(ErrorCode.SESSION_EXPIRED);
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (wasAlive) {
            LOG.debug("Session 0x{} closed", Long.toHexString(sessionId));
            events.state(KeeperState.CLOSED);
        }
        closed.complete(null);
    }
}
