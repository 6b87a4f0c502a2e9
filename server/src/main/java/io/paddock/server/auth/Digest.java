package io.paddock.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The digest scheme's identity: {@code user:base64(sha1("user:password"))}. */
public final class Digest {
    private Digest() {
    }

    public static String identity(String userAndPassword) {
        int colon = userAndPassword.indexOf(':');
        String user = colon < 0 ? userAndPassword : userAndPassword.substring(0, colon);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1").digest(userAndPassword.getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the digest scheme", e);
        }
    }
}
