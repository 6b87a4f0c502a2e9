package io.paddock.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.common.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PathRules against wire-protocol.md 12.2 and against Apache's PathUtils.validatePath. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PathRulesTest {

    /** Apache's verdict: valid iff validatePath does not throw; returns its message otherwise. */
    private static String apacheProblem(String path) {
        try {
            PathUtils.validatePath(path);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static void assertAgreesWithApache(String path) {
        String ours = PathRules.problem(path);
        String apache = apacheProblem(path);
        assertEquals(apache == null, ours == null,
                () -> "path " + escape(path) + ": ours=" + ours + " apache=" + apache);
        assertEquals(ours == null, PathRules.isValid(path));
        if (ours != null) {
            // Same reason at the same index: Apache wraps it as 'Invalid path string "..." caused by <reason>'.
            assertTrue(apache.endsWith(ours), () -> "path " + escape(path) + ": ours=" + ours + " apache=" + apache);
        }
    }

    private static String escape(String path) {
        if (path == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (char c : path.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/", "/a", "/a/b", "/zookeeper/config", "/.a", "/a.", "/a..b", "/...", "/a/...", "/..a", "/a/b.",
        "/e/a b", "/ ", "/e/é", "/a:b", "/a@b=c,d", "/-", "/p/0000000001", "/中文", "/\u00a0", "/\u00ff",
        "/\ud7ff", "/\uf900", "/\uffef", "/a\u2028b"})
    void validPaths(String path) {
        assertNull(PathRules.problem(path), path);
        assertTrue(PathRules.isValid(path));
        assertAgreesWithApache(path);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "a          | start with /",
        "a/b        | start with /",
        "./a        | start with /",
        "/a/        | end with /",
        "/a/b/      | end with /",
        "//         | end with /",
        "//a        | empty node name",
        "/a//b      | empty node name",
        "/.         | relative paths",
        "/..        | relative paths",
        "/a/.       | relative paths",
        "/a/..      | relative paths",
        "/a/./b     | relative paths",
        "/a/../b    | relative paths",
        "/./a       | relative paths",
        "/../a      | relative paths"})
    void structurallyInvalidPaths(String path, String reason) {
        String problem = PathRules.problem(path);
        assertNotNull(problem, path);
        assertTrue(problem.contains(reason), problem);
        assertFalse(PathRules.isValid(path));
        assertAgreesWithApache(path);
    }

    @Test
    void nullAndEmptyPaths() {
        assertNotNull(PathRules.problem(null));
        assertNotNull(PathRules.problem(""));
        assertFalse(PathRules.isValid(null));
        assertFalse(PathRules.isValid(""));
        assertAgreesWithApache(null);
        assertAgreesWithApache("");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {
        0x0000, 0x0001, 0x0009, 0x000a, 0x001f, // NUL and C0 controls
        0x007f, 0x0080, 0x0085, 0x009f, // DEL and C1 controls
        0xd800, 0xdbff, 0xdc00, 0xdfff, // surrogates
        0xe000, 0xf000, 0xf8ff, // private use
        0xfff0, 0xfffd, 0xfffe, 0xffff}) // specials, including the replacement character
    void forbiddenCharacters(int c) {
        for (String path : List.of("/" + (char) c, "/a" + (char) c + "b", "/a/" + (char) c, "/" + (char) c + "/a")) {
            String problem = PathRules.problem(path);
            assertNotNull(problem, escape(path));
            assertTrue(problem.contains(c == 0 ? "null character" : "invalid character"), problem);
            assertAgreesWithApache(path);
        }
    }

    @Test
    void charactersOutsideTheBmpAreRejected() {
        for (String path : List.of("/\ud83d\ude00", "/a/\ud800\udc00", "/x\udbff\udfffy")) {
            assertNotNull(PathRules.problem(path), escape(path));
            assertAgreesWithApache(path);
        }
    }

    @Test
    void problemReportsTheIndexOfTheFirstOffendingCharacter() {
        assertTrue(PathRules.problem("/ab\u0001c").endsWith("@3"));
        assertTrue(PathRules.problem("/a//b").endsWith("@3"));
        assertTrue(PathRules.problem("/a/..").endsWith("@4"));
    }

    /** Every UTF-16 unit in four positions, so each range boundary of 12.2 is checked on both sides. */
    @Test
    void everyCharacterAgreesWithApache() {
        for (int c = 0; c <= 0xFFFF; c++) {
            char ch = (char) c;
            assertAgreesWithApache("/" + ch);
            assertAgreesWithApache("/a" + ch + "b");
            assertAgreesWithApache("/" + ch + "/x");
            assertAgreesWithApache("/x/" + ch + ch);
        }
    }

    /** Joins of tricky components, up to three deep, with and without leading and trailing slashes. */
    @Test
    void combinationsOfTrickyComponentsAgreeWithApache() {
        List<String> parts = List.of("", ".", "..", "...", "a", ".a", "a.", "a..b", " ", "é", "a b", "\u0000",
                "\u001f", "\u007f", "\u00a0", "\ud800", "\ud83d\ude00", "\ue000", "\ufff0", "\uffff", "/");
        Set<String> paths = new LinkedHashSet<>();
        for (String a : parts) {
            for (String b : parts) {
                for (String c : parts) {
                    for (String prefix : List.of("", "/")) {
                        paths.add(prefix + a);
                        paths.add(prefix + a + "/" + b);
                        paths.add(prefix + a + "/" + b + "/" + c);
                        paths.add(prefix + a + "/" + b + "/" + c + "/");
                        paths.add(prefix + a + b + c);
                    }
                }
            }
        }
        assertTrue(paths.size() > 20_000, "paths generated: " + paths.size());
        paths.forEach(PathRulesTest::assertAgreesWithApache);
    }

    @Test
    void randomPathsAgreeWithApache() {
        char[] alphabet = {'/', '/', '/', '.', '.', '.', 'a', 'b', ' ', 'é', '\u0000', '\u0001', '\u001f', '\u0020',
                           '\u007e', '\u007f', '\u0080', '\u009f', '\u00a0', '\u07ff', '\u0800', '\ud7ff', '\ud800',
                           '\udbff', '\udc00', '\udfff', '\ue000', '\uf8ff', '\uf900', '\uffef', '\ufff0', '\ufffd',
                           '\uffff'};
        Random random = new Random(0x5eedL);
        List<String> invalid = new ArrayList<>();
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder path = new StringBuilder(random.nextInt(4) == 0 ? "" : "/");
            int length = random.nextInt(10);
            for (int j = 0; j < length; j++) {
                path.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String p = path.toString();
            assertAgreesWithApache(p);
            if (PathRules.isValid(p)) {
                valid++;
            } else {
                invalid.add(p);
            }
        }
        // The generator must exercise both outcomes, or the comparison proves little.
        assertTrue(valid > 10_000, "valid paths: " + valid);
        assertTrue(invalid.size() > 10_000, "invalid paths: " + invalid.size());
    }

    @Test
    void parentAndName() {
        assertEquals("/", PathRules.parent("/a"));
        assertEquals("/a", PathRules.parent("/a/b"));
        assertEquals("/a/b", PathRules.parent("/a/b/c"));
        assertEquals("b", PathRules.name("/a/b"));
        assertEquals("a", PathRules.name("/a"));
        assertEquals("", PathRules.name("/"));
    }
}
