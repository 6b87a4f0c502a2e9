package io.paddock.protocol;

/**
 * What a request does, decided in this one place for the whole server: which path it takes
 * (answered locally, or turned into a txn through the leader) and which figures it counts in.
 */
public enum OpKind {
    /** Answered from the tree of the server the client is connected to (pings and watch operations too). */
    READ,
    /** Changes the tree: a txn decided by the leader (creates, deletes, setData, setACL, multi). */
    WRITE,
    /** Ends the session: a txn too (a session is created by the handshake, not a request). */
    CLOSE,
    /** A barrier: answered once the leader's earlier commits have reached this server. */
    SYNC,
    /** Credentials for the connection (auth, SASL): answered in order, nothing replicated. */
    AUTH,
    /** A change of the ensemble's membership. */
    RECONFIG,
    /** Not a request a client may send on its own (a check outside a multi, an unknown code). */
    UNKNOWN;

    /** The kind of request type {@code op}. */
    public static OpKind of(int op) {
        return switch (op) {
            case OpCode.PING, OpCode.EXISTS, OpCode.GET_DATA, OpCode.GET_ACL, OpCode.GET_CHILDREN,
                 OpCode.GET_CHILDREN2, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.MULTI_READ,
                 OpCode.SET_WATCHES, OpCode.SET_WATCHES2, OpCode.GET_EPHEMERALS, OpCode.GET_ALL_CHILDREN_NUMBER,
                 OpCode.ADD_WATCH, OpCode.WHO_AM_I -> READ;
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.DELETE,
                 OpCode.DELETE_CONTAINER, OpCode.SET_DATA, OpCode.SET_ACL, OpCode.MULTI -> WRITE;
            case OpCode.CLOSE_SESSION -> CLOSE;
            case OpCode.SYNC -> SYNC;
            case OpCode.AUTH, OpCode.SASL -> AUTH;
            case OpCode.RECONFIG -> RECONFIG;
            default -> UNKNOWN;
        };
    }

    /** Whether the request changes the replicated state (a write or a close): it goes through the leader. */
    public boolean changesState() {
        return this == WRITE || this == CLOSE;
    }

    /** Apache's "update" requests, whose latency is counted apart from reads: every kind that goes to the leader. */
    public boolean isUpdate() {
        return this == WRITE || this == CLOSE || this == SYNC || this == RECONFIG;
    }
}
