package io.paddock.protocol;

/**
 * The znode path rules clients and servers enforce: absolute, no empty, "." or ".." component,
 * no trailing slash (except the root), and no control, surrogate, private-use or U+FFF0..U+FFFF
 * characters.
 */
public final class PathRules {
    private PathRules() {
    }

    /** Returns why the path is invalid, or null when it is valid. */
    public static String problem(String path) {
        if (path == null) {
            return "Path cannot be null";
        }
        if (path.isEmpty()) {
            return "Path length must be > 0";
        }
        if (path.charAt(0) != '/') {
            return "Path must start with / character";
        }
        if (path.length() == 1) {
            return null;
        }
        if (path.charAt(path.length() - 1) == '/') {
            return "Path must not end with / character";
        }
        char last = '/';
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) {
                return "null character not allowed @" + i;
            }
            if (c == '/' && last == '/') {
                return "empty node name specified @" + i;
            }
            if (c == '.' && last == '.' && path.charAt(i - 2) == '/'
                    && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
                return "relative paths not allowed @" + i;
            }
            if (c == '.' && last == '/' && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
                return "relative paths not allowed @" + i;
            }
            if ((c > '\u0000' && c <= '\u001f') || (c >= '\u007f' && c <= '\u009F')
                    || (c >= '\ud800' && c <= '\uf8ff') || (c >= '\ufff0' && c <= '\uffff')) {
                return "invalid character @" + i;
            }
            last = c;
        }
        return null;
    }

    public static boolean isValid(String path) {
        return problem(path) == null;
    }

    /** The parent of an absolute path ("/" for a top-level node); the text before the last slash. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** The last component of an absolute path. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
