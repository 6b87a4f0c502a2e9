package io.paddock.nemesis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each server's {@code version-2} directory (where both Paddock and Apache ZooKeeper keep their
 * transaction log and snapshots; zoo.cfg, myid and the server's output stay outside) on a small
 * tmpfs of its own, mounted before the server first starts. Filling it (one file taking every free
 * byte) makes the server's next write needing a new page fail with ENOSPC, as on a full disk.
 *
 * <p>A failing disk (EIO) is not modelled: it needs a block device under a file system (loop
 * device plus device-mapper's {@code error} or {@code flakey} target, and a real file system on
 * it), which containers and CI machines rarely allow; a full disk needs only a tmpfs.
 *
 * <p>The mounts' source is named {@code nm<pid>-d<k>s<i>}, like the namespaces, so the mounts of a
 * run whose JVM died are found in /proc/mounts and removed when the next run starts.
 */
final class Disks implements AutoCloseable {
    static final String SIZE = "64m";
    /**
     * In zoo.cfg of the disk families' servers (both systems read the keys): the log grows in 16 KiB
     * steps, not 64 MiB (Paddock writes its steps as real zeros, which a full disk would not touch
     * for minutes), and a snapshot every few hundred txns, so a full disk meets both kinds of write.
     */
    static final Map<String, String> CONFIG = Map.of("preAllocSize", "16", "snapCount", "1000");
    private static final Pattern OURS = Pattern.compile("^nm(\\d+)-d\\d+s\\d+$");
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Left to the top-up, which writes it byte by byte: what the server takes meanwhile comes out of it. */
    private static final long MARGIN = 1 << 20;
    private static final String TOP_UP = "nemesis-filler-top-up";
    private final String tag = "nm" + ProcessHandle.current().pid() + "-d" + RUNS.incrementAndGet();
    private final Map<Integer, Path> mounts = new ConcurrentHashMap<>();
    private boolean closed;

    /** Mounts server {@code i}'s tmpfs at {@code dataDir}/version-2. */
    void mount(int i, Path dataDir) throws IOException {
        Path point = Files.createDirectories(dataDir.resolve("version-2"));
        Shell.check("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0755", tag + "s" + i, point.toString());
        mounts.put(i, point);
    }

    /** Takes every free byte of server {@code i}'s disk; returns how many. */
    long fill(int i) throws IOException {
        Path point = mounts.get(i);
        // The server writes meanwhile, so a fallocate of exactly what was free can itself fail (seen in
        // CI): all but a margin at once, then the rest written until the disk says it is full.
        long bulk = Files.getFileStore(point).getUsableSpace() - MARGIN;
        if (bulk > 0) {
            Shell.check("fallocate", "-l", Long.toString(bulk), filler(i).toString());
        }
        return Math.max(0, bulk) + topUp(point.resolve(TOP_UP));
    }

    /** Writes zeros to {@code file} until the disk is full; returns how many bytes went in. */
    private static long topUp(Path file) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(4096);
        long written = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (true) {
                zeros.clear();
                written += ch.write(zeros);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return written;
    }

    /** Gives the space back. */
    void empty(int i) throws IOException {
        Files.deleteIfExists(filler(i));
        Files.deleteIfExists(mounts.get(i).resolve(TOP_UP));
    }

    private Path filler(int i) {
        return mounts.get(i).resolve("nemesis-filler");
    }

    /**
     * Unmounts every disk (lazily: a server still running keeps what it has open until it exits,
     * and its directory can then be deleted). Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Path point : mounts.values()) {
            Shell.run("umount", "-l", point.toString());
        }
    }

    /** The tmpfs mounts of earlier runs whose JVM is gone. */
    static void removeLeftovers() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            Matcher m = OURS.matcher(f[0]);
            if (f.length > 2 && f[2].equals("tmpfs") && m.matches()
                    && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
                Shell.run("umount", "-l", f[1]);
            }
        }
    }
}
