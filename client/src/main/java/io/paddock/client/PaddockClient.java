package io.paddock.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.paddock.protocol.ACL;
import io.paddock.protocol.Acls;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.AuthPacket;
import io.paddock.protocol.ClientInfo;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.Stat;
import io.paddock.protocol.WatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client session with a Paddock (or Apache ZooKeeper) ensemble.
 *
 * <p>Build one with {@link #builder(String)}; it connects in the background to one of the
 * connect string's hosts (in shuffled order), and on losing a connection moves to the next host
 * with backoff, keeping the same session and re-registering its watches, so that no watch event
 * is lost. The session ends when it expires, when authentication fails, or on {@link #close()}.
 *
 * <p>Every operation comes in a blocking form, which throws {@link PaddockException} on failure,
 * and an {@code ...Async} form returning a {@link CompletableFuture} that fails with it. The
 * requests of one client are sent and answered in the order they were issued; async futures
 * complete on the client's event thread in that order, interleaved with watch events exactly as
 * the server produced them. Requests issued while disconnected wait for the next connection (at
 * most the request timeout); requests already sent when a connection drops fail with
 * CONNECTION_LOSS, since whether the server applied them is unknown.
 *
 * <p>Paths are absolute within the chroot, if the connect string has one. Invalid paths and
 * arguments are rejected at once with {@link IllegalArgumentException}.
 */
public final class PaddockClient implements AutoCloseable {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Where the ensemble publishes its membership, outside any chroot. */
    private static final String CONFIG_NODE = "/zookeeper/config";
    private static final Chroot NO_CHROOT = new Chroot(null);
    private final Chroot chroot;
    private final WatchManager watches = new WatchManager();
    private final EventDispatcher events;
    private final EventLoopGroup group;
    private final SessionDriver driver;
    private final List<ACL> defaultAcl;
    private final int maxFrameBytes;
    private final long requestTimeoutMs;

    private PaddockClient(Builder b) {
        ConnectString cs = ConnectString.parse(b.connectString);
        int id = CLIENTS.incrementAndGet();
        this.chroot = new Chroot(cs.chroot());
        this.defaultAcl = List.copyOf(b.defaultAcl);
        this.maxFrameBytes = b.maxFrameBytes;
        // By default a request outlives the session's 4/3-timeout grace: while disconnected it
        // either goes out after a reconnect or fails with SESSION_EXPIRED, not with a timeout.
        this.requestTimeoutMs = b.requestTimeout != null ? b.requestTimeout.toMillis() : 2 * b.sessionTimeout.toMillis();
        this.events = new EventDispatcher("paddock-client-event-" + id, b.watcher);
        b.stateListeners.forEach(events::addStateListener);
        this.group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "paddock-client-io-" + id);
            t.setDaemon(true);
            return t;
        });
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
        ClientTls tls = b.tlsSet ? b.tls : ClientTls.fromSystemProperties();
        if (tls != null) {
            bootstrap.attr(ClientTls.CONTEXT, tls.context());
        }
        Random random = new Random();
        int timeoutMs = (int) b.sessionTimeout.toMillis();
        long maxBackoff = Math.max(100, Math.min(1000, timeoutMs / 3));
        SessionDriver.Settings settings = new SessionDriver.Settings(timeoutMs, requestTimeoutMs, b.canBeReadOnly,
                b.maxFrameBytes, maxBackoff, b.sessionId, b.sessionPassword, b.saslSet ? b.sasl : SaslLogin.fromJaas());
        this.driver = new SessionDriver(group.next(), bootstrap, new HostProvider(cs.hosts(), random), chroot, watches,
                events, settings, random);
        for (AuthPacket packet : b.auth) {
            driver.addAuth(packet, Requests.auth(packet));
        }
        driver.start();
    }

    /** Starts building a client for {@code host:port[,host:port...][/chroot]}. */
    public static Builder builder(String connectString) {
        return new Builder(connectString);
    }

    // ---- session ----------------------------------------------------------------------------

    public ClientState state() {
        return driver.state();
    }

    /** The session id (0 until the first connection). */
    public long sessionId() {
        return driver.sessionId();
    }

    /** The session password, to re-attach the session from another client ({@link Builder#session}). */
    public byte[] sessionPassword() {
        return driver.password();
    }

    /** The timeout the server granted, in ms (0 until the first connection). */
    public int sessionTimeoutMs() {
        return driver.negotiatedTimeoutMs();
    }

    /**
     * Waits until connected. Returns false on timeout; throws {@link PaddockException} if the
     * session ended instead (EXPIRED, AUTH_FAILED or closed).
     */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        StateListener listener = s -> latch.countDown();
        events.addStateListener(listener);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                ClientState s = state();
                if (s.isConnected()) {
                    return true;
                }
                if (!s.isAlive()) {
                    throw new PaddockException(s == ClientState.AUTH_FAILED ? ErrorCode.AUTH_FAILED
                            : ErrorCode.SESSION_EXPIRED, null);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                latch.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
        } finally {
            events.removeStateListener(listener);
        }
    }

    public void addStateListener(StateListener listener) {
        events.addStateListener(listener);
    }

    public void removeStateListener(StateListener listener) {
        events.removeStateListener(listener);
    }

    /**
     * Adds credentials (for example {@code "digest"} with {@link DigestAuth#credentials}). They
     * are sent now and again after every reconnect. A server that rejects them ends the session
     * in AUTH_FAILED.
     */
    public void addAuthInfo(String scheme, byte[] auth) throws InterruptedException {
        AuthPacket packet = new AuthPacket(0, scheme, auth);
        Call<Void> call = Requests.auth(packet);
        driver.addAuth(packet, call);
        awaitResult(call.result);
    }

    public CompletableFuture<Void> addAuthInfoAsync(String scheme, byte[] auth) {
        AuthPacket packet = new AuthPacket(0, scheme, auth);
        Call<Void> call = Requests.auth(packet);
        driver.addAuth(packet, call);
        return events.relay(call.result);
    }

    /**
     * Closes the session: the server deletes its ephemeral nodes and watchers get a final
     * {@code CLOSED} state event. Waits at most the request timeout for the server's answer.
     */
    @Override
    public void close() {
        long waitMs = Math.max(100, Math.min(requestTimeoutMs, 5000));
        try {
            driver.close(waitMs).get(waitMs + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closing goes on regardless: the threads below are stopped either way.
        }
        events.shutdown();
        if (!driver.inEventLoop()) {
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        } else {
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS);
        }
    }

    // ---- create and delete ------------------------------------------------------------------

    /**
     * Creates a node and returns the path created (with the sequence number for a sequential
     * mode). Modes with a TTL need {@link #createTtl}.
     */
    public String create(String path, byte[] data, List<ACL> acl, CreateMode mode) throws InterruptedException {
        return await(Requests.create(chroot, path, data, acl, mode));
    }

    /** {@link #create(String, byte[], List, CreateMode)} with the client's default ACL. */
    public String create(String path, byte[] data, CreateMode mode) throws InterruptedException {
        return create(path, data, defaultAcl, mode);
    }

    public CompletableFuture<String> createAsync(String path, byte[] data, List<ACL> acl, CreateMode mode) {
        return async(Requests.create(chroot, path, data, acl, mode));
    }

    public CompletableFuture<String> createAsync(String path, byte[] data, CreateMode mode) {
        return createAsync(path, data, defaultAcl, mode);
    }

    /** Creates a node and returns its path and Stat. */
    public Created createWithStat(String path, byte[] data, List<ACL> acl, CreateMode mode) throws InterruptedException {
        return await(Requests.createWithStat(chroot, path, data, acl, mode));
    }

    public CompletableFuture<Created> createWithStatAsync(String path, byte[] data, List<ACL> acl, CreateMode mode) {
        return async(Requests.createWithStat(chroot, path, data, acl, mode));
    }

    /**
     * Creates a node that the server deletes once it has had no children and no change for
     * {@code ttlMs}. The server must run with extended types enabled.
     */
    public Created createTtl(String path, byte[] data, List<ACL> acl, CreateMode mode, long ttlMs)
            throws InterruptedException {
        return await(Requests.createTtl(chroot, path, data, acl, mode, ttlMs));
    }

    public CompletableFuture<Created> createTtlAsync(String path, byte[] data, List<ACL> acl, CreateMode mode, long ttlMs) {
        return async(Requests.createTtl(chroot, path, data, acl, mode, ttlMs));
    }

    /** Deletes a node if its version matches ({@code -1} matches any). */
    public void delete(String path, int version) throws InterruptedException {
        await(Requests.delete(chroot, path, version));
    }

    public CompletableFuture<Void> deleteAsync(String path, int version) {
        return async(Requests.delete(chroot, path, version));
    }

    // ---- reads ------------------------------------------------------------------------------

    /** The node's Stat, or null if it does not exist. */
    public Stat exists(String path) throws InterruptedException {
        return exists(path, null);
    }

    /**
     * The node's Stat, or null. With a watcher, it is told once of the node's creation, change
     * or deletion, whichever comes first.
     */
    public Stat exists(String path, Watcher watcher) throws InterruptedException {
        return await(Requests.exists(chroot, watches, path, watcher));
    }

    public CompletableFuture<Stat> existsAsync(String path) {
        return existsAsync(path, null);
    }

    public CompletableFuture<Stat> existsAsync(String path, Watcher watcher) {
        return async(Requests.exists(chroot, watches, path, watcher));
    }

    public NodeData getData(String path) throws InterruptedException {
        return getData(path, null);
    }

    /** The node's data and Stat; a watcher is told once when the data changes or the node goes. */
    public NodeData getData(String path, Watcher watcher) throws InterruptedException {
        return await(Requests.getData(chroot, watches, path, watcher));
    }

    public CompletableFuture<NodeData> getDataAsync(String path) {
        return getDataAsync(path, null);
    }

    public CompletableFuture<NodeData> getDataAsync(String path, Watcher watcher) {
        return async(Requests.getData(chroot, watches, path, watcher));
    }

    /**
     * The ensemble's membership, as {@code /zookeeper/config} holds it (Apache's {@code getConfig}):
     * read whatever this client's chroot; a watcher is told once when it changes.
     */
    public NodeData getConfig(Watcher watcher) throws InterruptedException {
        return await(Requests.getData(NO_CHROOT, watches, CONFIG_NODE, watcher));
    }

    public CompletableFuture<NodeData> getConfigAsync(Watcher watcher) {
        return async(Requests.getData(NO_CHROOT, watches, CONFIG_NODE, watcher));
    }

    /** Replaces the node's data if its version matches ({@code -1} matches any); returns the new Stat. */
    public Stat setData(String path, byte[] data, int version) throws InterruptedException {
        return await(Requests.setData(chroot, path, data, version));
    }

    public CompletableFuture<Stat> setDataAsync(String path, byte[] data, int version) {
        return async(Requests.setData(chroot, path, data, version));
    }

    public List<String> getChildren(String path) throws InterruptedException {
        return getChildren(path, null);
    }

    /** The names of the node's children, unordered; a watcher is told once when they change. */
    public List<String> getChildren(String path, Watcher watcher) throws InterruptedException {
        return await(Requests.getChildren(chroot, watches, path, watcher));
    }

    public CompletableFuture<List<String>> getChildrenAsync(String path) {
        return getChildrenAsync(path, null);
    }

    public CompletableFuture<List<String>> getChildrenAsync(String path, Watcher watcher) {
        return async(Requests.getChildren(chroot, watches, path, watcher));
    }

    /** The children and the node's Stat. */
    public ChildList getChildrenWithStat(String path, Watcher watcher) throws InterruptedException {
        return await(Requests.getChildren2(chroot, watches, path, watcher));
    }

    public CompletableFuture<ChildList> getChildrenWithStatAsync(String path, Watcher watcher) {
        return async(Requests.getChildren2(chroot, watches, path, watcher));
    }

    /** The number of all descendants of the node (not only its children). */
    public int getAllChildrenNumber(String path) throws InterruptedException {
        return await(Requests.getAllChildrenNumber(chroot, path));
    }

    public CompletableFuture<Integer> getAllChildrenNumberAsync(String path) {
        return async(Requests.getAllChildrenNumber(chroot, path));
    }

    /** This session's ephemeral nodes whose path starts with {@code prefix} ("/" for all). */
    public List<String> getEphemerals(String prefix) throws InterruptedException {
        return await(Requests.getEphemerals(chroot, prefix));
    }

    public CompletableFuture<List<String>> getEphemeralsAsync(String prefix) {
        return async(Requests.getEphemerals(chroot, prefix));
    }

    public NodeAcl getACL(String path) throws InterruptedException {
        return await(Requests.getAcl(chroot, path));
    }

    public CompletableFuture<NodeAcl> getACLAsync(String path) {
        return async(Requests.getAcl(chroot, path));
    }

    /** Replaces the node's ACL if its ACL version matches ({@code -1} matches any). */
    public Stat setACL(String path, List<ACL> acl, int aclVersion) throws InterruptedException {
        return await(Requests.setAcl(chroot, path, acl, aclVersion));
    }

    public CompletableFuture<Stat> setACLAsync(String path, List<ACL> acl, int aclVersion) {
        return async(Requests.setAcl(chroot, path, acl, aclVersion));
    }

    /** Waits until the server this client talks to has caught up with the leader. */
    public void sync(String path) throws InterruptedException {
        await(Requests.sync(chroot, path));
    }

    public CompletableFuture<Void> syncAsync(String path) {
        return async(Requests.sync(chroot, path));
    }

    /** The identities the server associates with this connection. */
    public List<ClientInfo> whoAmI() throws InterruptedException {
        return await(Requests.whoAmI());
    }

    public CompletableFuture<List<ClientInfo>> whoAmIAsync() {
        return async(Requests.whoAmI());
    }

    // ---- multi ------------------------------------------------------------------------------

    /** Starts an atomic multi-op write. */
    public Transaction transaction() {
        return new Transaction(this, chroot);
    }

    /** Starts a batch of reads sent in one request. */
    public MultiRead multiRead() {
        return new MultiRead(this, chroot);
    }

    // ---- watches ----------------------------------------------------------------------------

    /**
     * Adds a watch that stays until removed: PERSISTENT reports every change of the node itself
     * (created, data changed, children changed, deleted); PERSISTENT_RECURSIVE reports created,
     * data changed and deleted for the node and every descendant. Events that happen while the
     * client is disconnected are not replayed for these watches.
     */
    public void addWatch(String path, Watcher watcher, AddWatchMode mode) throws InterruptedException {
        await(Requests.addWatch(chroot, watches, path, watcher, mode));
    }

    public CompletableFuture<Void> addWatchAsync(String path, Watcher watcher, AddWatchMode mode) {
        return async(Requests.addWatch(chroot, watches, path, watcher, mode));
    }

    /**
     * Removes one watcher's watches of a type from a path (DATA covers data and exists watches,
     * ANY every kind). The watcher gets a DATA_WATCH_REMOVED, CHILD_WATCH_REMOVED or
     * PERSISTENT_WATCH_REMOVED event for each kind removed. Fails with NO_WATCHER if it held
     * none. The server is told when no local watcher of that kind remains on the path.
     */
    public void removeWatch(String path, Watcher watcher, WatcherType type) throws InterruptedException {
        if (watcher == null) {
            throw new IllegalArgumentException("watcher is null: use removeAllWatches");
        }
        awaitResult(removeWatches(path, watcher, type));
    }

    public CompletableFuture<Void> removeWatchAsync(String path, Watcher watcher, WatcherType type) {
        if (watcher == null) {
            throw new IllegalArgumentException("watcher is null: use removeAllWatchesAsync");
        }
        return events.relay(removeWatches(path, watcher, type));
    }

    /** Removes every watcher of a type from a path, as {@link #removeWatch} does for one. */
    public void removeAllWatches(String path, WatcherType type) throws InterruptedException {
        awaitResult(removeWatches(path, null, type));
    }

    public CompletableFuture<Void> removeAllWatchesAsync(String path, WatcherType type) {
        return events.relay(removeWatches(path, null, type));
    }

    /**
     * Removal is local first (so no further event reaches the removed watchers), then the server
     * drops the watches nobody here needs any more. A disconnected client has nothing to tell
     * the server: its watches went with the connection and only local ones are re-registered.
     */
    private CompletableFuture<Void> removeWatches(String path, Watcher watcher, WatcherType type) {
        Chroot.validate(path);
        if (type == null) {
            throw new IllegalArgumentException("watcher type is null");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean queued = driver.execute(() -> {
            WatchManager.Removal removal = watches.remove(path, watcher, type);
            if (removal.isEmpty()) {
                done.completeExceptionally(new PaddockException(ErrorCode.NO_WATCHER, path));
                return;
            }
            events.node(WatchedEvent.node(EventType.DATA_WATCH_REMOVED, path), removal.dataRemoved());
            events.node(WatchedEvent.node(EventType.CHILD_WATCH_REMOVED, path), removal.childRemoved());
            events.node(WatchedEvent.node(EventType.PERSISTENT_WATCH_REMOVED, path), removal.persistentRemoved());
            if (!driver.state().isConnected() || removal.serverTypesToClear().isEmpty()) {
                done.complete(null);
                return;
            }
            List<CompletableFuture<Void>> server = new ArrayList<>();
            for (WatcherType t : removal.serverTypesToClear()) {
                Call<Void> call = Requests.removeServerWatch(chroot, path, t);
                server.add(call.result);
                driver.submit(call);
            }
            CompletableFuture.allOf(server.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
            });
        });
        if (!queued) {
            done.completeExceptionally(new PaddockException(ErrorCode.SESSION_EXPIRED, path));
        }
        return done;
    }

    // ---- plumbing ---------------------------------------------------------------------------

    List<ACL> defaultAcl() {
        return defaultAcl;
    }

    <T> CompletableFuture<T> async(Call<T> call) {
        checkSize(call);
        driver.submit(call);
        return events.relay(call.result);
    }

    /**
     * Blocking callers wait on the network thread's own future, not on the event thread, so a
     * blocking call made from inside a watcher cannot deadlock.
     */
    <T> T await(Call<T> call) throws InterruptedException {
        checkSize(call);
        driver.submit(call);
        return awaitResult(call.result);
    }

    private static <T> T awaitResult(CompletableFuture<T> result) throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PaddockException pe) {
                throw pe.rethrown();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    private void checkSize(Call<?> call) {
        if (call.payloadSize() > maxFrameBytes) {
            throw new IllegalArgumentException("request of " + call.payloadSize()
                    + " bytes exceeds the frame limit of " + maxFrameBytes + " bytes (jute.maxbuffer)");
        }
    }

    @Override
    public String toString() {
        return "PaddockClient[session 0x" + Long.toHexString(sessionId()) + ", " + state() + "]";
    }

    /** Settings of a {@link PaddockClient}; {@link #build()} starts connecting. */
    public static final class Builder {
        private final String connectString;
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout;
        private Watcher watcher;
        private final List<StateListener> stateListeners = new ArrayList<>();
        private boolean canBeReadOnly;
        private final List<AuthPacket> auth = new ArrayList<>();
        private List<ACL> defaultAcl = Acls.OPEN_ACL_UNSAFE;
        private int maxFrameBytes = 0xFFFFF;
        private long sessionId;
        private byte[] sessionPassword;
        private SaslLogin sasl;
        private boolean saslSet;
        private ClientTls tls;
        private boolean tlsSet;

        private Builder(String connectString) {
            ConnectString.parse(connectString);
            this.connectString = connectString;
        }

        /** The session timeout to ask for (the server clamps it to its bounds). Default 30 s. */
        public Builder sessionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bad session timeout " + timeout);
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /**
         * How long a request may wait for a connection and its answer before failing with
         * REQUEST_TIMEOUT. Default: twice the session timeout.
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("bad request timeout " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** The default watcher: receives every session state change as an event of type NONE. */
        public Builder watcher(Watcher watcher) {
            this.watcher = watcher;
            return this;
        }

        public Builder stateListener(StateListener listener) {
            stateListeners.add(listener);
            return this;
        }

        /** Accept servers in read-only mode (state CONNECTED_READ_ONLY) when no other is reachable. */
        public Builder canBeReadOnly(boolean canBeReadOnly) {
            this.canBeReadOnly = canBeReadOnly;
            return this;
        }

        /** Credentials sent on every connection, before anything else. */
        public Builder auth(String scheme, byte[] credentials) {
            auth.add(new AuthPacket(0, scheme, credentials.clone()));
            return this;
        }

        /** Digest credentials {@code user:password}. */
        public Builder digestAuth(String user, String password) {
            return auth(DigestAuth.SCHEME, DigestAuth.credentials(user, password));
        }

        /**
         * Log in on every connection by SASL DIGEST-MD5 as {@code user}, before anything else is
         * sent. Without this, the client does as Apache ZooKeeper's does: it logs in when the JVM's
         * JAAS configuration has a {@code Client} section (or the one named by
         * {@code -Dzookeeper.sasl.clientconfig}): with {@code username} and {@code password} by
         * DIGEST-MD5, with the JDK's Krb5LoginModule by Kerberos (GSSAPI, the server principal named
         * as Apache's client names it), unless {@code -Dzookeeper.sasl.client=false}. A refused
         * login ends the client in AUTH_FAILED.
         */
        public Builder saslDigest(String user, String password) {
            this.sasl = new SaslLogin.Digest(user, password);
            this.saslSet = true;
            return this;
        }

        /** Never log in by SASL, whatever the JAAS configuration says. */
        public Builder noSasl() {
            this.sasl = null;
            this.saslSet = true;
            return this;
        }

        /** The ACL of creates that do not name one. Default: world-readable and writable. */
        public Builder defaultAcl(List<ACL> acl) {
            if (acl == null || acl.isEmpty()) {
                throw new IllegalArgumentException("empty default ACL");
            }
            this.defaultAcl = acl;
            return this;
        }

        /** Largest frame sent or accepted, as the server's jute.maxbuffer. Default 1,048,575. */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("frame limit too small: " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /** Re-attach an existing session instead of creating one. */
        public Builder session(long id, byte[] password) {
            this.sessionId = id;
            this.sessionPassword = password.clone();
            return this;
        }

        /**
         * TLS to the servers, or null for plaintext. Default: as the {@code zookeeper.client.secure}
         * and {@code zookeeper.ssl.*} system properties say ({@link ClientTls#fromSystemProperties()}),
         * as Apache's client does.
         */
        public Builder tls(ClientTls tls) {
            this.tls = tls;
            this.tlsSet = true;
            return this;
        }

        /** Creates the client and starts connecting; returns at once. */
        public PaddockClient build() {
            return new PaddockClient(this);
        }
    }
}
