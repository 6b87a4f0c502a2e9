package io.paddock.server.audit;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Create2Response;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.CreateResponse;
import io.paddock.protocol.CreateTTLRequest;
import io.paddock.protocol.DeleteContainerRequest;
import io.paddock.protocol.DeleteRequest;
import io.paddock.protocol.Id;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.MultiResponse;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.OpResult;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.SetACLRequest;
import io.paddock.protocol.SetDataRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log ({@code audit.enable}): one line per state-changing request, written by the server
 * the client is connected to once the reply's result is known, and one per ephemeral node a closed
 * or expired session loses. Lines go to an SLF4J logger with Apache's name, so logging setups made
 * for Apache ZooKeeper route them unchanged; failures at ERROR, the rest at INFO.
 */
public final class AuditLog {
    /** Apache's audit logger name. */
    public static final String LOGGER_NAME = "org.apache.zookeeper.audit.Slf4jAuditLogger";

    /** Logs nothing. */
    public static final AuditLog DISABLED = new AuditLog(false);

    static final String OP_CREATE = "create";
    static final String OP_DELETE = "delete";
    static final String OP_SET_DATA = "setData";
    static final String OP_SET_ACL = "setAcl";
    static final String OP_MULTI = "multiOperation";
    static final String OP_RECONFIG = "reconfig";
    static final String OP_EPHEMERAL_DELETED = "ephemeralZNodeDeletionOnSessionCloseOrExpire";
    static final String OP_START = "serverStart";
    static final String OP_STOP = "serverStop";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private final boolean enabled;

    public AuditLog(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * A client's request was answered: audits it if it is a write, reconfig or multi. {@code err}
     * is the reply's error code and {@code response} its body (null on error).
     */
    public void answered(long sessionId, List<Id> identities, int op, Record body, int err, Record response) {
        if (!enabled || body == null) {
            return; // without a body (a request that could not be decoded) there is nothing to name
        }
        String session = "0x" + Long.toHexString(sessionId);
        String user = users(identities);
        String ip = ipOf(identities);
        boolean ok = err == 0;
        switch (op) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL -> {
                String path = ok ? createdPath(response) : requestPath(body);
                write(new AuditLine(session, user, ip, OP_CREATE, path, createMode(op, body), null, ok));
            }
            case OpCode.DELETE, OpCode.DELETE_CONTAINER ->
                    write(new AuditLine(session, user, ip, OP_DELETE, requestPath(body), null, null, ok));
            case OpCode.SET_DATA ->
                    write(new AuditLine(session, user, ip, OP_SET_DATA, requestPath(body), null, null, ok));
            case OpCode.SET_ACL -> {
                SetACLRequest r = (SetACLRequest) body;
                write(new AuditLine(session, user, ip, OP_SET_ACL, r.path(), null, aclText(r.acl()), ok));
            }
            case OpCode.RECONFIG -> write(new AuditLine(session, user, ip, OP_RECONFIG, null, null, null, ok));
            case OpCode.MULTI -> multi(session, user, ip, (MultiRequest) body, ok ? (MultiResponse) response : null);
            default -> { }
        }
    }

    /** A committed close of a session deleted one of its ephemeral nodes (on every server, as Apache). */
    public void ephemeralDeleted(long sessionId, String path) {
        if (enabled) {
            write(new AuditLine("0x" + Long.toHexString(sessionId), serverUser(), null, OP_EPHEMERAL_DELETED, path,
                    null, null, true));
        }
    }

    /** The server started serving (or failed to start). */
    public void serverStarted(boolean ok) {
        if (enabled) {
            write(AuditLine.ofServer(serverUser(), OP_START, ok ? AuditLine.SUCCESS : AuditLine.FAILURE));
        }
    }

    /** The server is stopping: Apache's result for this line is {@code invoked}. */
    public void serverStopping() {
        if (enabled) {
            write(AuditLine.ofServer(serverUser(), OP_STOP, AuditLine.INVOKED));
        }
    }

    /**
     * A whole multi: one line per create, delete and setData when it succeeded (Apache leaves the
     * checks and setACLs of a multi out); one failure line when it did not.
     */
    private void multi(String session, String user, String ip, MultiRequest request, MultiResponse response) {
        if (response == null || response.results().stream().anyMatch(r -> r.type() == OpCode.ERROR)) {
            write(new AuditLine(session, user, ip, OP_MULTI, null, null, null, false));
            return;
        }
        for (int i = 0; i < request.ops().size() && i < response.results().size(); i++) {
            MultiOp op = request.ops().get(i);
            OpResult result = response.results().get(i);
            switch (op.type()) {
                case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL ->
                        write(new AuditLine(session, user, ip, OP_CREATE, createdPath(result.body()),
                                createMode(op.type(), op.request()), null, true));
                case OpCode.DELETE, OpCode.DELETE_CONTAINER -> write(new AuditLine(session, user, ip, OP_DELETE,
                        requestPath(op.request()), null, null, true));
                case OpCode.SET_DATA -> write(new AuditLine(session, user, ip, OP_SET_DATA,
                        requestPath(op.request()), null, null, true));
                default -> { }
            }
        }
    }

    private static void write(AuditLine line) {
        if (line.failed()) {
            LOG.error(line.toString());
        } else {
            LOG.info(line.toString());
        }
    }

    private static String createdPath(Record response) {
        if (response instanceof CreateResponse c) {
            return c.path();
        }
        return response instanceof Create2Response c ? c.path() : null;
    }

    private static String requestPath(Record body) {
        if (body instanceof CreateRequest r) {
            return r.path();
        } else if (body instanceof CreateTTLRequest r) {
            return r.path();
        } else if (body instanceof DeleteRequest r) {
            return r.path();
        } else if (body instanceof DeleteContainerRequest r) {
            return r.path();
        } else if (body instanceof SetDataRequest r) {
            return r.path();
        }
        return body instanceof SetACLRequest r ? r.path() : null;
    }

    /** Apache's create mode text: the mode's name in lower case ({@code ephemeral_sequential}). */
    private static String createMode(int op, Record body) {
        int flags;
        if (body instanceof CreateRequest r) {
            flags = r.flags();
        } else if (body instanceof CreateTTLRequest r) {
            flags = r.flags();
        } else {
            return null;
        }
        CreateMode mode = op == OpCode.CREATE_CONTAINER ? CreateMode.CONTAINER : CreateMode.fromFlag(flags);
        return mode == null ? null : mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The ACL as {@code scheme:id:perms} entries. Apache runs the entries together with no separator;
     * a comma here keeps them apart.
     */
    static String aclText(List<ACL> acl) {
        StringBuilder sb = new StringBuilder();
        for (ACL a : acl) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(a.id().scheme()).append(':').append(a.id().id()).append(':').append(Perms.letters(a.perms()));
        }
        return sb.toString();
    }

    /**
     * The user names the identities carry, comma-separated (null if none): a digest identity's user
     * name, an address, an x509 or sasl principal; {@code super} carries no name, as in Apache.
     */
    static String users(List<Id> identities) {
        StringBuilder sb = new StringBuilder();
        for (Id id : identities) {
            String name = switch (id.scheme()) {
                case "digest" -> id.id().contains(":") ? id.id().substring(0, id.id().indexOf(':')) : id.id();
                case "ip", "x509", "sasl" -> id.id();
                default -> null;
            };
            if (name != null && !name.isBlank()) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(name);
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String ipOf(List<Id> identities) {
        for (Id id : identities) {
            if (id.scheme().equals("ip")) {
                return id.id();
            }
        }
        return null;
    }

    /** The operating-system user running the server, as Apache names it in server-side lines. */
    private static String serverUser() {
        return System.getProperty("user.name");
    }
}
