package io.paddock.server.peer;

import io.paddock.server.zab.Msg;

/** The two ports of a server: votes travel on the election port, link messages on the quorum port. */
enum PortKind {
    QUORUM(0), ELECTION(1);

    final int code;

    PortKind(int code) {
        this.code = code;
    }

    static PortKind of(Msg msg) {
        return msg instanceof Msg.Vote ? ELECTION : QUORUM;
    }

    static PortKind ofCode(int code) {
        for (PortKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }

    String portName() {
        return this == QUORUM ? "quorum port" : "election port";
    }
}
