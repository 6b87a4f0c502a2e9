package io.paddock.client;

import io.paddock.protocol.PathRules;

/**
 * Translates between the paths a caller uses and the server's absolute paths. The chroot is
 * purely a client affair: servers only ever see and send absolute paths.
 */
final class Chroot {
    private final String prefix;

    /** @param prefix the chroot, or null for none */
    Chroot(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    String toServer(String clientPath) {
        if (prefix == null) {
            return clientPath;
        }
        return clientPath.equals("/") ? prefix : prefix + clientPath;
    }

    /** A server path with the chroot removed; paths outside the chroot are returned unchanged. */
    String toClient(String serverPath) {
        if (prefix == null || serverPath == null || !serverPath.startsWith(prefix)) {
            return serverPath;
        }
        if (serverPath.length() == prefix.length()) {
            return "/";
        }
        return serverPath.charAt(prefix.length()) == '/' ? serverPath.substring(prefix.length()) : serverPath;
    }

    /** Throws IllegalArgumentException unless the path is a valid absolute client path. */
    static void validate(String path) {
        String problem = PathRules.problem(path);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid path string \"" + path + "\" caused by " + problem);
        }
    }

    /** A sequential create may end in '/': the server appends the counter, so check with a digit. */
    static void validateSequential(String path) {
        if (path == null) {
            validate(null);
        }
        String problem = PathRules.problem(path + "1");
        if (problem != null) {
            throw new IllegalArgumentException("Invalid path string \"" + path + "\" caused by " + problem);
        }
    }
}
