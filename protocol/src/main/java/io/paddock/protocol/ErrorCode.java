package io.paddock.protocol;

/**
 * Every error code a server may send, with the text the Apache Java client puts in its exception
 * messages. A client fails on any code not listed here, so the server never invents one.
 */
public enum ErrorCode {
    OK(0, "ok"),
    SYSTEM_ERROR(-1, "SystemError"),
    RUNTIME_INCONSISTENCY(-2, "RuntimeInconsistency"),
    DATA_INCONSISTENCY(-3, "DataInconsistency"),
    CONNECTION_LOSS(-4, "ConnectionLoss"),
    MARSHALLING_ERROR(-5, "MarshallingError"),
    UNIMPLEMENTED(-6, "Unimplemented"),
    OPERATION_TIMEOUT(-7, "OperationTimeout"),
    BAD_ARGUMENTS(-8, "BadArguments"),
    UNKNOWN_SESSION(-12, "Unknown error UNKNOWNSESSION"),
    NEW_CONFIG_NO_QUORUM(-13, "NewConfigNoQuorum"),
    RECONFIG_IN_PROGRESS(-14, "ReconfigInProgress"),
    API_ERROR(-100, "APIError"),
    NO_NODE(-101, "NoNode"),
    NO_AUTH(-102, "NoAuth"),
    BAD_VERSION(-103, "BadVersion"),
    NO_CHILDREN_FOR_EPHEMERALS(-108, "NoChildrenForEphemerals"),
    NODE_EXISTS(-110, "NodeExists"),
    NOT_EMPTY(-111, "Directory not empty"),
    SESSION_EXPIRED(-112, "Session expired"),
    INVALID_CALLBACK(-113, "Invalid callback"),
    INVALID_ACL(-114, "InvalidACL"),
    AUTH_FAILED(-115, "AuthFailed"),
    SESSION_MOVED(-118, "Session moved"),
    NOT_READ_ONLY(-119, "Not a read-only call"),
    EPHEMERAL_ON_LOCAL_SESSION(-120, "Ephemeral node on local session"),
    NO_WATCHER(-121, "No such watcher"),
    REQUEST_TIMEOUT(-122, "Unknown error REQUESTTIMEOUT"),
    RECONFIG_DISABLED(-123, "Reconfig is disabled"),
    SESSION_CLOSED_REQUIRE_SASL_AUTH(-124, "Session closed because client failed to authenticate"),
    QUOTA_EXCEEDED(-125, "Quota has exceeded"),
    THROTTLED_OP(-127, "Op throttled due to high load");

    private final int code;
    private final String message;

    ErrorCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The code's constant, or null for a value no server sends. */
    public static ErrorCode fromCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
