package io.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The examples in docs/client.md, compiled from the page itself and run against real servers:
 * the documentation cannot drift from the code without this test failing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DocsExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");
    private static final ServerPool SERVERS = new ServerPool();
    private static Path classes;

    @BeforeAll
    static void compileExamples() throws IOException {
        classes = TestServers.tempDir("docs-examples");
        Path sources = classes.resolve("src");
        Files.createDirectories(sources);
        List<String> files = new ArrayList<>();
        for (String block : javaBlocks()) {
            Matcher m = CLASS_NAME.matcher(block);
            assertTrue(m.find(), "every java example is a complete public class:\n" + block);
            Path file = sources.resolve(m.group(1) + ".java");
            Files.writeString(file, block);
            files.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", testClassPath(), "-Xlint:none"));
        args.addAll(files);
        StringWriter errors = new StringWriter();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        errors.write(err.toString(StandardCharsets.UTF_8));
        assertEquals(0, rc, "the examples in docs/client.md compile:\n" + errors);
    }

    @AfterAll
    static void cleanUp() {
        SERVERS.close();
        if (classes != null) {
            TestServers.deleteTree(classes);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRunsAsWritten() throws IOException {
        List<String> names = new ArrayList<>();
        for (String block : javaBlocks()) {
            Matcher m = CLASS_NAME.matcher(block);
            m.find();
            names.add(m.group(1));
        }
        assertTrue(names.size() >= 10, "examples found: " + names);
        List<DynamicTest> tests = new ArrayList<>();
        for (String kind : List.of(TestServers.PADDOCK, TestServers.APACHE)) {
            for (String name : names) {
                tests.add(DynamicTest.dynamicTest(name + " on " + kind, () -> run(name, SERVERS.get(kind).connectString())));
            }
        }
        return tests.stream();
    }

    private static void run(String className, String connectString) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                DocsExamplesTest.class.getClassLoader())) {
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Future<?> done = thread.submit(() -> {
                main.invoke(null, (Object) new String[] {connectString});
                return null;
            });
            done.get(60, TimeUnit.SECONDS);
        } finally {
            System.setOut(original);
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertFalse(captured.toString(StandardCharsets.UTF_8).isBlank(), className + " printed nothing");
    }

    private static List<String> javaBlocks() throws IOException {
        Path page = Path.of(System.getProperty("paddock.docs.dir", "../docs"), "client.md");
        String text = Files.readString(page);
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String cp = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    }
}
