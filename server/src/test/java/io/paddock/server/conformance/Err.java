package io.paddock.server.conformance;

/** Error codes as sent in ReplyHeader.err (wire-protocol.md 9). */
final class Err {
    static final int OK = 0;
    static final int RUNTIME_INCONSISTENCY = -2;
    static final int MARSHALLING_ERROR = -5;
    static final int UNIMPLEMENTED = -6;
    static final int BAD_ARGUMENTS = -8;
    static final int NO_NODE = -101;
    static final int NO_AUTH = -102;
    static final int BAD_VERSION = -103;
    static final int NO_CHILDREN_FOR_EPHEMERALS = -108;
    static final int NODE_EXISTS = -110;
    static final int NOT_EMPTY = -111;
    static final int SESSION_EXPIRED = -112;
    static final int INVALID_ACL = -114;
    static final int AUTH_FAILED = -115;
    static final int NO_WATCHER = -121;
    static final int RECONFIG_DISABLED = -123;

    private Err() {
    }
}
