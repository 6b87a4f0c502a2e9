package io.paddock.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HexFormat;
import java.util.List;

/** Hex helpers and a field-by-field comparison for our records (whose byte[] fields break equals). */
final class WireAssert {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private WireAssert() {
    }

    /** Parses hex written with any whitespace between bytes, as in wire-protocol.md's dumps. */
    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Compares as hex strings so a failure shows exactly which bytes differ. */
    static void assertBytes(byte[] expected, byte[] actual, String what) {
        assertEquals(hex(expected), hex(actual), what);
    }

    /**
     * Deep equality over record components, lists, byte arrays and (by reflection, because their
     * generated equals throws on null fields) Apache's records; anything else by equals. The path in
     * failure messages names the field that differs.
     */
    static void assertDeepEquals(Object expected, Object actual) {
        deepEquals(expected, actual, "");
    }

    private static void deepEquals(Object expected, Object actual, String path) {
        if (expected == null) {
            assertNull(actual, path + " should be null");
            return;
        }
        assertNotNull(actual, path + " should not be null");
        if (expected instanceof byte[] e) {
            assertArrayEquals(e, (byte[]) actual, path);
        } else if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), path + ".size");
            for (int i = 0; i < e.size(); i++) {
                deepEquals(e.get(i), a.get(i), path + "[" + i + "]");
            }
        } else if (expected.getClass().isRecord()) {
            assertEquals(expected.getClass(), actual.getClass(), path + " type");
            for (RecordComponent component : expected.getClass().getRecordComponents()) {
                try {
                    deepEquals(component.getAccessor().invoke(expected), component.getAccessor().invoke(actual),
                            path + "." + component.getName());
                } catch (ReflectiveOperationException ex) {
                    fail(ex);
                }
            }
        } else if (expected.getClass().getName().startsWith("org.apache.") && !expected.getClass().isEnum()) {
            assertEquals(expected.getClass(), actual.getClass(), path + " type");
            for (Class<?> type = expected.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                        continue;
                    }
                    field.setAccessible(true);
                    try {
                        deepEquals(field.get(expected), field.get(actual), path + "." + field.getName());
                    } catch (IllegalAccessException ex) {
                        fail(ex);
                    }
                }
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
