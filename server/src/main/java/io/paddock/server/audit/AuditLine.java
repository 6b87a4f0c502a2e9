package io.paddock.server.audit;

/**
 * One audit line in Apache's form: {@code key=value} pairs separated by tabs, in the order session,
 * user, ip, operation, znode, znode_type, acl (a pair whose value is null is left out), then
 * {@code result=success|failure|invoked}.
 */
record AuditLine(String session, String user, String ip, String operation, String znode, String znodeType,
                 String acl, String result) {
    static final String SUCCESS = "success";
    static final String FAILURE = "failure";
    static final String INVOKED = "invoked";

    AuditLine(String session, String user, String ip, String operation, String znode, String znodeType, String acl,
              boolean ok) {
        this(session, user, ip, operation, znode, znodeType, acl, ok ? SUCCESS : FAILURE);
    }

    /** A line about the server itself: only user, operation and result. */
    static AuditLine ofServer(String user, String operation, String result) {
        return new AuditLine(null, user, null, operation, null, null, null, result);
    }

    boolean failed() {
        return FAILURE.equals(result);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(128);
        pair(sb, "session", session);
        pair(sb, "user", user);
        pair(sb, "ip", ip);
        pair(sb, "operation", operation);
        pair(sb, "znode", znode);
        pair(sb, "znode_type", znodeType);
        pair(sb, "acl", acl);
        pair(sb, "result", result);
        return sb.toString();
    }

    private static void pair(StringBuilder sb, String key, String value) {
        if (value != null) {
            if (sb.length() > 0) {
                sb.append('\t');
            }
            sb.append(key).append('=').append(value);
        }
    }
}
