package io.paddock.server.tools;

import io.paddock.server.storage.Purge;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code zkCleanup.sh [dataLogDir [snapDir]] -n <count>}: keeps the newest {@code count} (at
 * least 3) snapshots and the log they need, deletes older files. Safe while the server runs.
 */
public final class PurgeTool {
    private PurgeTool() {
    }

    public static void main(String[] args) throws IOException {
        Path logDir = null;
        Path snapDir = null;
        int count = 3;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-n") && i + 1 < args.length) {
                try {
                    count = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    usage("-n needs a number, not " + args[i]);
                }
            } else if (logDir == null) {
                logDir = Path.of(args[i]);
            } else if (snapDir == null) {
                snapDir = Path.of(args[i]);
            } else {
                usage("unexpected argument " + args[i]);
            }
        }
        if (logDir == null) {
            usage("no data directory given");
        }
        if (count < 3) {
            usage("-n must be at least 3");
        }
        if (snapDir == null) {
            snapDir = logDir;
        }
        Purge.Result r = Purge.run(snapDir.resolve("version-2"), logDir.resolve("version-2"), count);
        for (Path p : r.deleted()) {
            System.out.println("deleted " + p);
        }
        System.out.println(r.deleted().size() + " files deleted; the newest " + count + " snapshots kept");
    }

    private static void usage(String why) {
        System.err.println(why);
        System.err.println("usage: zkCleanup.sh [dataLogDir [snapDir]] -n <count>   (count >= 3)");
        System.exit(1);
    }
}
