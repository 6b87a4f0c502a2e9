package io.paddock.server.conformance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The digest scheme's identity: user + ":" + base64(sha1("user:password")). */
final class Digests {
    private Digests() {
    }

    static String identity(String userColonPassword) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1").digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
            String user = userColonPassword.split(":", 2)[0];
            return user + ":" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
