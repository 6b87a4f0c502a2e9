package io.paddock.server.admin;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Id;
import io.paddock.server.auth.Acls;
import io.paddock.server.auth.Digest;
import io.paddock.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Authentication and authorization of admin commands that need them, as Apache's AdminServer does
 * it: the {@code Authorization} header holds {@code <scheme> [<credential>]} (e.g.
 * {@code digest alice:secret}, or {@code ip}), which yields identities like a client's addAuth;
 * the identities must then hold every asked permission on a node's ACL.
 */
final class AdminAuth {
    /** Apache's answer when the request carries no {@code Authorization} header. */
    static final String MISSING = "Auth info is missing for the command";
    /** Apache's answer when the header names no usable scheme or credential. */
    static final String NOT_AUTHENTICATED = "Not authenticated";
    /** Apache's answer when the identities lack a permission. */
    static final String NOT_AUTHORIZED = "Not authorized";

    private AdminAuth() {
    }

    /**
     * The identities the header proves, or null when it proves none. Schemes: {@code digest}
     * (needs the credential {@code user:password}; also the super identity when it is the super
     * digest) and {@code ip} (the caller's address; any credential is ignored).
     *
     * @param header        the header's value, not null
     * @param remoteAddress the caller's IP address as text
     */
    static List<Id> authenticate(String header, String remoteAddress, ServerConfig config) {
        // Apache splits on single spaces and wants the scheme alone or the scheme and one credential.
        String[] parts = header.split(" ");
        if (parts.length != 1 && parts.length != 2) {
            return null;
        }
        List<Id> ids = new ArrayList<>();
        switch (parts[0]) {
            case "digest" -> {
                if (parts.length != 2 || !config.digestAuthEnabled()) {
                    return null;
                }
                String digest = Digest.identity(parts[1]);
                ids.add(new Id("digest", digest));
                if (digest.equals(config.superDigest())) {
                    ids.add(new Id("super", ""));
                }
            }
            case "ip" -> ids.add(new Id("ip", remoteAddress));
            default -> {
                return null;
            }
        }
        return ids;
    }

    /** Whether the identities include the super identity, proved by a credential (never by an address). */
    static boolean isSuper(List<Id> identities) {
        for (Id id : identities) {
            if (id.scheme().equals("super")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the identities hold every permission bit of {@code perms} on a node with this ACL;
     * like Apache, each bit is checked on its own, so different entries may grant different bits.
     */
    static boolean authorized(List<ACL> acl, int perms, List<Id> identities, boolean skipAcl) {
        for (int bit = 1; bit != 0 && bit <= perms; bit <<= 1) {
            if ((perms & bit) != 0 && !Acls.allowed(acl, bit, identities, skipAcl)) {
                return false;
            }
        }
        return true;
    }
}
