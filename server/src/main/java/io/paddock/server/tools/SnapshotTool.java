package io.paddock.server.tools;

import io.paddock.server.storage.SnapshotReader;
import io.paddock.server.storage.StorageException;
import io.paddock.server.tree.NodeImage;
import io.paddock.server.txn.SessionTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * {@code zkSnapShotToolkit.sh [-d] [-data] <snapshot>}: validates a snapshot and prints its
 * summary; {@code -d} lists every session and node with its Stat, {@code -data} adds node data.
 * Exit status: 0 valid, 2 damaged, 1 unusable arguments.
 */
public final class SnapshotTool {
    private SnapshotTool() {
    }

    public static void main(String[] args) throws IOException {
        boolean dump = false;
        boolean withData = false;
        Path file = null;
        for (String a : args) {
            switch (a) {
                case "-d" -> dump = true;
                case "-data" -> {
                    dump = true;
                    withData = true;
                }
                default -> file = file == null ? Path.of(a) : file;
            }
        }
        if (file == null || !Files.isRegularFile(file)) {
            System.err.println("usage: zkSnapShotToolkit.sh [-d] [-data] <dataDir/version-2/snapshot.N>");
            System.exit(1);
        }
        System.exit(print(file, dump, withData, System.out));
    }

    /** Prints the snapshot; returns 0 when it is valid and 2 when it is damaged. */
    public static int print(Path file, boolean dump, boolean withData, PrintStream out) throws IOException {
        SnapshotReader.Content c;
        try {
            c = SnapshotReader.read(file);
        } catch (StorageException e) {
            out.println("DAMAGED: " + e.getMessage());
            return 2;
        }
        long dataBytes = 0;
        int ephemerals = 0;
        for (NodeImage n : c.nodes()) {
            dataBytes += n.data() == null ? 0 : n.data().length;
            long owner = n.ephemeralOwner();
            if (owner != 0 && owner != Long.MIN_VALUE && (owner >>> 56) != 0xFF) {
                ephemerals++;
            }
        }
        out.println("snapshot " + file.getFileName() + ": zxid 0x" + Long.toHexString(c.zxid())
                + (c.compressed() ? ", gzip" : ", uncompressed") + ", " + Files.size(file) + " bytes on disk");
        out.println("sessions: " + c.sessions().size());
        out.println("nodes: " + c.nodes().size() + " (" + ephemerals + " ephemeral), data: " + dataBytes + " bytes");
        if (dump) {
            for (SessionTable.Entry s : c.sessions()) {
                out.println("session 0x" + Long.toHexString(s.id()) + " timeout " + s.timeoutMs());
            }
            List<NodeImage> nodes = c.nodes().stream().sorted(Comparator.comparing(NodeImage::path)).toList();
            for (NodeImage n : nodes) {
                out.println(n.path() + " czxid=0x" + Long.toHexString(n.czxid()) + " mzxid=0x" + Long.toHexString(n.mzxid())
                        + " pzxid=0x" + Long.toHexString(n.pzxid()) + " version=" + n.version() + " aversion=" + n.aversion()
                        + " childCreates=" + n.childCreates() + " owner=0x" + Long.toHexString(n.ephemeralOwner())
                        + LogTool.data(n.data(), withData) + " acl=" + n.acl());
            }
        }
        return 0;
    }
}
