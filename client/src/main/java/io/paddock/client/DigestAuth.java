package io.paddock.client;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Id;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code digest} scheme: a client authenticates with {@code user:password}, and ACLs name
 * the identity {@code user:base64(sha1(user:password))}.
 */
public final class DigestAuth {
    public static final String SCHEME = "digest";

    private DigestAuth() {
    }

    /** The bytes to pass to {@link PaddockClient#addAuthInfo(String, byte[])}. */
    public static byte[] credentials(String user, String password) {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The identity a server derives from these credentials, for use in ACLs. */
    public static Id id(String user, String password) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(credentials(user, password));
            return new Id(SCHEME, user + ":" + Base64.getEncoder().encodeToString(sha1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    /** An ACL entry granting {@code perms} to that identity. */
    public static ACL acl(int perms, String user, String password) {
        return new ACL(perms, id(user, password));
    }
}
