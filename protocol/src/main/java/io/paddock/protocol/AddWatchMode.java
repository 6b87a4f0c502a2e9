package io.paddock.protocol;

/** The {@code mode} of addWatch. */
public enum AddWatchMode {
    PERSISTENT(0),
    PERSISTENT_RECURSIVE(1);

    private final int code;

    AddWatchMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mode for a code, or null when the code is neither 0 nor 1. */
    public static AddWatchMode fromCode(int code) {
        return switch (code) {
            case 0 -> PERSISTENT;
            case 1 -> PERSISTENT_RECURSIVE;
            default -> null;
        };
    }
}
