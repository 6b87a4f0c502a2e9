package io.paddock.server.zab.golden;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden interaction scripts for the zab core, in the style of etcd raft's data-driven tests: each
 * file under {@code src/test/resources/zab/golden} is a sequence of commands, each followed by the
 * exact actions the cores produced (see {@link Ensemble} for the commands). A changed behaviour
 * shows up as a mismatch; run with {@code -Dzab.golden.rewrite=true} to write the actual outputs
 * back into the files, then review the diff.
 */
class InteractionTest {
    private static final boolean REWRITE = Boolean.getBoolean("zab.golden.rewrite");

    /**
     * The scripts' directory in the source tree (rewrites go there, not to target/): the golden
     * scripts, or a subdirectory of them named by {@code -Dzab.golden.dir} (known-bugs, say).
     */
    static Path dir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src", "test", "resources",
                "zab", "golden", System.getProperty("zab.golden.dir", ""));
    }

    static Stream<String> scripts() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .sorted().toList();
            assertFalse(names.isEmpty(), "no golden scripts in " + dir());
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    @Timeout(30)
    void script(String name) throws IOException {
        Path file = dir().resolve(name);
        Script script = Script.parse(name, Files.readAllLines(file, StandardCharsets.UTF_8));
        Ensemble ensemble = new Ensemble();
        List<List<String>> outputs = new ArrayList<>();
        for (Script.Block b : script.blocks()) {
            List<String> actual;
            try {
                actual = ensemble.run(Command.parse(b.command()));
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(name + ":" + b.line() + ": " + b.command() + ": " + e.getMessage(), e);
            }
            outputs.add(actual);
            if (!REWRITE && !actual.equals(b.expected())) {
                int[] first = new int[1];
                List<String> diff = LineDiff.trim(LineDiff.diff(b.expected(), actual, first), 3);
                fail(name + ":" + (b.line() + 2 + first[0]) + ": the output of `" + b.command() + "` (line "
                        + b.line() + ") differs (-expected +actual); rerun with -Dzab.golden.rewrite=true to"
                        + " accept it\n@@ " + name + ":" + (b.line() + 2) + " @@\n" + String.join("\n", diff));
            }
        }
        if (REWRITE) {
            Files.writeString(file, script.format(outputs), StandardCharsets.UTF_8);
        }
    }
}
