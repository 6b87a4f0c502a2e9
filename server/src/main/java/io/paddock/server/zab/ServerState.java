package io.paddock.server.zab;

/** What a server is doing, as it tells its peers in election messages and reports to operators. */
public enum ServerState {
    LOOKING, FOLLOWING, LEADING, OBSERVING;

    public String mode() {
        return switch (this) {
            case LOOKING -> "looking";
            case FOLLOWING -> "follower";
            case LEADING -> "leader";
            case OBSERVING -> "observer";
        };
    }
}
