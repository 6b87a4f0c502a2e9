package io.paddock.cli;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.WatcherType;
import java.util.Locale;

/** Watches: addWatch, removewatches, printwatches. Events print as they arrive (see {@link Session}). */
final class WatchCommands {
    private static final String ADD_WATCH_USAGE =
            "addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE";

    private WatchCommands() {
    }

    static void register(Commands c) {
        c.add(new Command("addWatch", ADD_WATCH_USAGE, "", "m", 1, WatchCommands::addWatch));
        c.add(new Command("removewatches", "removewatches path [-c|-d|-a] [-l]", "cdal", "", 1,
                WatchCommands::removeWatches));
        c.add(new Command("printwatches", "printwatches on|off", "", "", 0, WatchCommands::printWatches));
    }

    private static void addWatch(Args a, Session s) throws InterruptedException {
        AddWatchMode mode = AddWatchMode.PERSISTENT_RECURSIVE;
        if (a.has('m')) {
            try {
                mode = AddWatchMode.valueOf(a.value('m').toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CliException(ADD_WATCH_USAGE);
            }
        }
        s.client().addWatch(a.arg(0), s.watcher(), mode);
    }

    /** -c child watches, -d data watches, -a (default) all; -l is accepted: removal is local-first anyway. */
    private static void removeWatches(Args a, Session s) throws InterruptedException {
        WatcherType type = a.has('c') ? WatcherType.CHILDREN : a.has('d') ? WatcherType.DATA : WatcherType.ANY;
        s.client().removeWatch(a.arg(0), s.watcher(), type);
    }

    private static void printWatches(Args a, Session s) {
        String arg = a.arg(0);
        if (arg == null) {
            s.out().println("printwatches is " + (s.printWatches() ? "on" : "off"));
        } else if (arg.equals("on") || arg.equals("off")) {
            s.printWatches(arg.equals("on"));
        } else {
            throw new CliException("printwatches on|off");
        }
    }
}
