package io.paddock.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keeps the golden tables complete: every Record class of the module must have a golden case. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoverageTest {

    private static Set<String> recordClassesInModule() throws IOException, URISyntaxException {
        Path classes = Path.of(Record.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.resolve(Record.class.getPackageName().replace('.', '/'));
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                try {
                    Class<?> type = Class.forName(Record.class.getPackageName() + "." + name.replace(".class", ""));
                    if (Record.class.isAssignableFrom(type) && !type.isInterface()) {
                        out.add(type.getSimpleName());
                    }
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    @Test
    void everyRecordClassHasAGoldenCase() throws IOException, URISyntaxException {
        Set<String> covered = Stream.concat(RecordCases.all(), MultiCases.all())
                .map(c -> c.ours().getClass().getSimpleName())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> all = recordClassesInModule();
        assertEquals(all, covered);
        assertTrue(all.size() >= 50, "the class scan found too little: " + all);
    }
}
