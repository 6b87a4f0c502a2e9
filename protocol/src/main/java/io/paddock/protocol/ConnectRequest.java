package io.paddock.protocol;

/**
 * The first frame a client sends, with no header. {@code readOnlyPresent} records whether the
 * optional trailing readOnly byte was on the wire: the reply mirrors that choice.
 */
public record ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId,
                             byte[] passwd, boolean readOnly, boolean readOnlyPresent) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(protocolVersion);
        out.writeLong(lastZxidSeen);
        out.writeInt(timeOut);
        out.writeLong(sessionId);
        out.writeBuffer(passwd);
        if (readOnlyPresent) {
            out.writeBool(readOnly);
        }
    }

    public static ConnectRequest readFrom(JuteInput in) {
        int protocolVersion = in.readInt();
        long lastZxidSeen = in.readLong();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.remaining() > 0;
        boolean readOnly = present && in.readBool();
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, present);
    }
}
