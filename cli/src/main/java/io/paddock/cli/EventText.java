package io.paddock.cli;

import io.paddock.client.WatchedEvent;
import java.util.Locale;

/** Watch events in Apache's printed form: {@code WatchedEvent state:SyncConnected type:NodeDataChanged path:/a}. */
public final class EventText {
    private EventText() {
    }

    /** The block printed for one event: a blank line, {@code WATCHER::}, a blank line, the event. */
    public static String format(WatchedEvent e) {
        return "\nWATCHER::\n\nWatchedEvent state:" + camel(e.state().name()) + " type:" + camel(e.type().name())
                + " path:" + e.path();
    }

    /** {@code NODE_DATA_CHANGED} to {@code NodeDataChanged}. */
    static String camel(String constant) {
        StringBuilder sb = new StringBuilder();
        for (String part : constant.split("_")) {
            if (!part.isEmpty()) {
                sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return sb.toString();
    }
}
