package io.paddock.cli;

import io.paddock.protocol.Stat;
import java.io.PrintStream;
import java.util.Date;

/** Prints a Stat in the {@code name = value} lines that Apache's zkCli prints and scripts parse. */
public final class StatPrinter {
    private StatPrinter() {
    }

    public static void print(Stat stat, PrintStream out) {
        out.print(format(stat));
    }

    /** The eleven lines, each ending in a newline; times in the JVM's zone, as {@link Date#toString()}. */
    public static String format(Stat s) {
        return "cZxid = 0x" + Long.toHexString(s.czxid()) + "\n"
                + "ctime = " + new Date(s.ctime()) + "\n"
                + "mZxid = 0x" + Long.toHexString(s.mzxid()) + "\n"
                + "mtime = " + new Date(s.mtime()) + "\n"
                + "pZxid = 0x" + Long.toHexString(s.pzxid()) + "\n"
                + "cversion = " + s.cversion() + "\n"
                + "dataVersion = " + s.version() + "\n"
                + "aclVersion = " + s.aversion() + "\n"
                + "ephemeralOwner = 0x" + Long.toHexString(s.ephemeralOwner()) + "\n"
                + "dataLength = " + s.dataLength() + "\n"
                + "numChildren = " + s.numChildren() + "\n";
    }
}
