package io.paddock.protocol;

/**
 * The server's first frame, with no header. A timeout of 0 and session id 0 mean the session is
 * invalid or expired. The readOnly byte is written only when the client sent one.
 */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd,
                              boolean readOnly, boolean readOnlyPresent) implements Record {
    /** Session passwords are always this long; the C client reads a fixed-size handshake. */
    public static final int PASSWORD_LENGTH = 16;

    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(protocolVersion);
        out.writeInt(timeOut);
        out.writeLong(sessionId);
        out.writeBuffer(passwd);
        if (readOnlyPresent) {
            out.writeBool(readOnly);
        }
    }

    public static ConnectResponse readFrom(JuteInput in) {
        int protocolVersion = in.readInt();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.remaining() > 0;
        boolean readOnly = present && in.readBool();
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly, present);
    }

    /** The answer to a re-attach of an unknown, expired or wrongly authenticated session. */
    public static ConnectResponse invalidSession(boolean readOnly, boolean readOnlyPresent) {
        return new ConnectResponse(0, 0, 0L, new byte[PASSWORD_LENGTH], readOnly, readOnlyPresent);
    }
}
