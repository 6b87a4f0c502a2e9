package io.paddock.protocol;

/** The {@code type} of checkWatches and removeWatches. */
public enum WatcherType {
    CHILDREN(1),
    DATA(2),
    ANY(3),
    PERSISTENT(4),
    PERSISTENT_RECURSIVE(5);

    private final int code;

    WatcherType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or null when the code is outside 1..5. */
    public static WatcherType fromCode(int code) {
        for (WatcherType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
