package io.paddock.server.jmx;

import io.paddock.server.config.PeerSpec;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.core.Core;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.zab.ServerState;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's beans in the platform MBean server, under Apache ZooKeeper's names: standalone, the
 * server bean and its data tree; in an ensemble, the member ({@code ReplicatedServer_id<N>}), its
 * replicas (this one and every other), and under this replica the role bean ({@code Leader},
 * {@code Follower} or {@code Observer}) with the data tree under it. The figures are read on the
 * core thread once a second and published to the beans; the role bean follows the role (none while
 * looking for a leader). Everything is unregistered on close, so that a JVM that runs several
 * servers (tests, embedded use) is left with none of them.
 */
public final class ServerJmx implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerJmx.class);
    /** How often the figures are read: scrapers ask every 10 s or more; the core is asked once a second. */
    static final long PUBLISH_MS = 1000;
    private static final long ASK_TIMEOUT_MS = 5000;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Core core;
    private final ServerStats stats;
    private final Beans.Source source;
    private final boolean ensemble;
    /** The names of this server's beans; the tree of this replica, the role's, comes and goes. */
    private final List<String> top;
    private final ScheduledExecutorService publisher;
    private volatile Figures figures = Figures.NONE;
    private final Set<ObjectName> registered = new LinkedHashSet<>();
    private ServerState role;
    private boolean closed;

    private ServerJmx(ServerConfig config, Core core, ServerStats stats, int clientPort, int secureClientPort) {
        this.core = core;
        this.stats = stats;
        this.ensemble = config.ensemble();
        this.source = new Beans.Source(config, () -> figures, stats.metrics(), clientPort, secureClientPort,
                new Date().toString());
        this.top = ensemble ? List.of(Names.quorum(config.myId()), Names.replica(config.myId()))
                : List.of(Names.standalone(clientPort >= 0 ? clientPort : secureClientPort));
        this.publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "paddock-jmx");
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers the server's beans and starts publishing figures to them. */
    public static ServerJmx start(ServerConfig config, Core core, ServerStats stats, int clientPort,
                                  int secureClientPort) {
        ServerJmx jmx = new ServerJmx(config, core, stats, clientPort, secureClientPort);
        jmx.registerFixed(config);
        jmx.publisher.scheduleWithFixedDelay(jmx::publish, 0, PUBLISH_MS, TimeUnit.MILLISECONDS);
        return jmx;
    }

    private synchronized void registerFixed(ServerConfig config) {
        if (!ensemble) {
            register(new Beans.Server(source), top);
            register(new Beans.Tree(source), with(top, Names.DATA_TREE));
            return;
        }
        register(new Beans.Quorum(source), top.subList(0, 1));
        register(new Beans.LocalPeer(source), top);
        for (PeerSpec p : config.peers()) {
            if (p.id() != config.myId()) {
                register(new Beans.RemotePeer(source, p), List.of(top.get(0), Names.replica(p.id())));
            }
        }
    }

    /** Reads the figures on the core thread and brings the role bean in line with the role. */
    private void publish() {
        try {
            figures = core.ask(c -> Figures.of(c, stats)).get(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // A busy or stopped core: the beans keep the last figures.
            LOG.debug("JMX figures not read: {}", e.toString());
            return;
        }
        if (ensemble) {
            followRole(figures.replication().state());
        }
    }

    private synchronized void followRole(ServerState now) {
        if (closed || now == role) {
            return;
        }
        String was = role == null ? null : Names.role(role);
        if (was != null) {
            List<String> rolePath = with(top, was);
            unregister(Names.of(with(rolePath, Names.DATA_TREE)));
            unregister(Names.of(rolePath));
        }
        role = now;
        String name = Names.role(now);
        if (name != null) {
            List<String> rolePath = with(top, name);
            register(switch (now) {
                case LEADING -> new Beans.Leader(source);
                case FOLLOWING -> new Beans.Follower(source);
                default -> new Beans.Observer(source);
            }, rolePath);
            register(new Beans.Tree(source), with(rolePath, Names.DATA_TREE));
        }
    }

    private static List<String> with(List<String> path, String name) {
        List<String> p = new ArrayList<>(path);
        p.add(name);
        return p;
    }

    private void register(Object bean, List<String> path) {
        ObjectName name = Names.of(path);
        try {
            server.registerMBean(bean, name);
            registered.add(name);
        } catch (JMException e) {
            // Another server in this JVM under the same name: this one goes without that bean.
            LOG.warn("JMX bean {} not registered: {}", name, e.toString());
        }
    }

    private void unregister(ObjectName name) {
        if (!registered.remove(name)) {
            return;
        }
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            LOG.debug("JMX bean {} not unregistered: {}", name, e.toString());
        }
    }

    /** Stops publishing and unregisters every bean of this server. */
    @Override
    public void close() {
        publisher.shutdownNow();
        try {
            publisher.awaitTermination(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closed = true;
            for (ObjectName name : List.copyOf(registered)) {
                unregister(name);
            }
        }
    }
}
