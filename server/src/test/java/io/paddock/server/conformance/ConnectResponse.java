package io.paddock.server.conformance;

/**
 * A decoded ConnectResponse. {@code readOnly} is null when the server omitted the byte;
 * {@code bodyLength} is the frame's payload length.
 */
record ConnectResponse(int bodyLength, int protocolVersion, int timeOut, long sessionId, byte[] passwd,
        Boolean readOnly) {
    static ConnectResponse parse(byte[] frame) {
        JuteReader in = new JuteReader(frame);
        int protocolVersion = in.i32();
        int timeOut = in.i32();
        long sessionId = in.i64();
        byte[] passwd = in.buf();
        Boolean readOnly = in.remaining() > 0 ? in.bool() : null;
        return new ConnectResponse(frame.length, protocolVersion, timeOut, sessionId, passwd, readOnly);
    }

    @Override
    public String toString() {
        return "ConnectResponse[len=" + bodyLength + ", proto=" + protocolVersion + ", timeOut=" + timeOut
                + ", sessionId=0x" + Long.toHexString(sessionId) + ", passwd="
                + (passwd == null ? "null" : passwd.length + " bytes") + ", readOnly=" + readOnly + "]";
    }
}
