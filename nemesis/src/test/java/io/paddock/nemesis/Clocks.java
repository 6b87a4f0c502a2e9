package io.paddock.nemesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each server's clock, faked by libfaketime (Debian package faketime), preloaded into the server's
 * JVM from its first start and driven through a file per server that it rereads at most once a
 * second (FAKETIME_CACHE_DURATION=1).
 *
 * <p>What libfaketime does to a JVM (measured with OpenJDK 17): it replaces clock_gettime, which
 * the JVM calls for both {@code System.currentTimeMillis}/{@code Instant.now} (CLOCK_REALTIME) and
 * {@code System.nanoTime} (CLOCK_MONOTONIC); the JVM runs on through steps back and forth of
 * hours. By default it fakes the monotonic clock too, so a step would move {@code nanoTime} back
 * an hour: no real machine does that (NTP steps only the wall clock, and slews, never steps, the
 * monotonic one), and both servers time sessions and peers with {@code nanoTime}. So
 * FAKETIME_DONT_FAKE_MONOTONIC=1: only the wall clock is faked. It is read once at start, so the
 * rate faults are the wall clock's too. A rate ({@code xR}) applies to the time since the process
 * started, so switching it on mid-run would also jump the clock by that time times R-1; the offset
 * written with it cancels that jump, and the clock drifts from where it stands.
 *
 * <p>Two settings keep the JVM's timing intact (measured: 200 {@code Thread.sleep(1)}, 200
 * {@code Object.wait(1)}, 2,000 thread hand-offs, a million {@code currentTimeMillis}). Debian's
 * libfaketime applies its "monotonic fix" to {@code pthread_cond_timedwait} by default, and the
 * JVM's condition variables wait on CLOCK_MONOTONIC: {@code wait(1)} then returned at once,
 * {@code sleep(1)} took 19-32 ms and hand-offs 200 times longer, and a server under it answered a
 * twentieth of its usual load. FAKETIME_FORCE_MONOTONIC_FIX=0 turns it off (the monotonic clock
 * is not faked, so nothing needs fixing): all as without the preload. And the plain library, not
 * libfaketimeMT, whose lock around every clock call made {@code currentTimeMillis} cost 1.3 µs
 * (0.14 µs with the plain one, 0.04 µs without a preload); the MT variant only keeps timestamps
 * unique across threads, which the servers do not rely on.
 */
final class Clocks implements AutoCloseable {
    private final Path dir;
    private final String library;
    /** When each server's process last started (System.nanoTime), for the drift's offset. */
    private final Map<Integer, Long> started = new ConcurrentHashMap<>();

    Clocks() {
        this.library = library().orElseThrow(() -> new IllegalStateException(
                "libfaketime is missing (Debian package faketime; .ci/run installs it)"));
        try {
            this.dir = Files.createTempDirectory("nemesis-clocks");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** libfaketime.so.1, where the distribution puts it. */
    static Optional<String> library() {
        for (String base : new String[] {"/usr/lib", "/usr/local/lib", "/usr/lib64"}) {
            Path direct = Path.of(base, "faketime", "libfaketime.so.1");
            if (Files.isRegularFile(direct)) {
                return Optional.of(direct.toString());
            }
            try (DirectoryStream<Path> arches = Files.newDirectoryStream(Path.of(base))) {
                for (Path arch : arches) {
                    Path lib = arch.resolve("faketime/libfaketime.so.1");
                    if (Files.isRegularFile(lib)) {
                        return Optional.of(lib.toString());
                    }
                }
            } catch (IOException e) {
                // no such directory here
            }
        }
        return Optional.empty();
    }

    /** The preload and its settings for server {@code i}, whose clock starts true; notes the start. */
    Map<String, String> environment(int i) {
        write(i, "+0");
        started.put(i, System.nanoTime());
        return Map.of("LD_PRELOAD", library, "FAKETIME_TIMESTAMP_FILE", file(i).toString(), "FAKETIME_CACHE_DURATION", "1",
                "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    /** Steps server {@code i}'s wall clock by {@code seconds} (negative: back) from the true time. */
    void step(int i, long seconds) {
        write(i, String.format(Locale.ROOT, "%+d x1", seconds));
    }

    /** Server {@code i}'s wall clock runs at {@code rate} times the true rate from now on, without a jump. */
    void drift(int i, double rate) {
        double sinceStart = (System.nanoTime() - started.get(i)) / 1e9;
        write(i, String.format(Locale.ROOT, "%+.3f x%.3f", -sinceStart * (rate - 1), rate));
    }

    /** Server {@code i}'s wall clock true again: a step, if it was off. */
    void reset(int i) {
        // The rate must be named: libfaketime keeps the last one it read when a line has none (measured:
        // "+0" after "+0 x10" left the clock running ten times fast).
        write(i, "+0 x1");
    }

    private Path file(int i) {
        return dir.resolve("server" + i);
    }

    /** Replaced whole (rename), so libfaketime never reads half a line. */
    private void write(int i, String spec) {
        try {
            Path tmp = dir.resolve("server" + i + ".tmp");
            Files.writeString(tmp, spec + "\n");
            Files.move(tmp, file(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
