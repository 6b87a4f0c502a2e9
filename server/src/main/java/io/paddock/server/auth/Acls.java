package io.paddock.server.auth;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Id;
import io.paddock.server.sasl.PrincipalNames;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ACL validation (create, setACL) and permission checks for the world, auth, digest, ip and sasl
 * schemes, with the super identity bypassing every check.
 */
public final class Acls {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Acls() {
    }

    /**
     * Validates a requested ACL and expands {@code auth} entries into the caller's authenticating
     * identities; duplicates dropped, first kept. Returns null when the list is invalid.
     */
    public static List<ACL> validateAndExpand(List<ACL> requested, List<Id> identities) {
        if (requested == null || requested.isEmpty()) {
            return null;
        }
        LinkedHashSet<ACL> out = new LinkedHashSet<>();
        for (ACL acl : requested) {
            Id id = acl.id();
            String scheme = id.scheme();
            if (scheme == null) {
                return null;
            }
            switch (scheme) {
                case "world" -> {
                    if (!"anyone".equals(id.id())) {
                        return null;
                    }
                    out.add(acl);
                }
                case "auth" -> {
                    boolean any = false;
                    for (Id held : identities) {
                        if (isAuthenticating(held.scheme())) {
                            out.add(new ACL(acl.perms(), held));
                            any = true;
                        }
                    }
                    if (!any) {
                        return null;
                    }
                }
                case "digest" -> {
                    if (!validDigestId(id.id())) {
                        return null;
                    }
                    out.add(acl);
                }
                case "ip" -> {
                    if (parseIpSpec(id.id()) == null) {
                        return null;
                    }
                    out.add(acl);
                }
                case "x509" -> {
                    if (!validX500Name(id.id())) {
                        return null;
                    }
                    out.add(acl);
                }
                case "sasl" -> {
                    if (!PrincipalNames.valid(id.id())) {
                        return null;
                    }
                    out.add(acl);
                }
                default -> {
                    return null;
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Schemes whose identities "auth" ACL entries expand to (not ip, not super). */
    private static boolean isAuthenticating(String scheme) {
        return scheme.equals("digest") || scheme.equals("sasl") || scheme.equals("x509");
    }

    /** An x509 ACL id is a subject name, as X500Principal parses it (Apache's check). */
    private static boolean validX500Name(String id) {
        try {
            new javax.security.auth.x500.X500Principal(id);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** {@code user:hash}: Java's split on ':' (trailing empty pieces dropped) must give two pieces. */
    private static boolean validDigestId(String id) {
        return id != null && id.split(":").length == 2;
    }

    /** Whether the caller may do {@code perm} on a node with this ACL. */
    public static boolean allowed(List<ACL> acl, int perm, List<Id> identities, boolean skipAcl) {
        if (skipAcl || acl == null || acl.isEmpty()) {
            return true;
        }
        for (Id held : identities) {
            if (held.scheme().equals("super")) {
                return true;
            }
        }
        for (ACL entry : acl) {
            if ((entry.perms() & perm) == 0) {
                continue;
            }
            Id id = entry.id();
            if ("world".equals(id.scheme()) && "anyone".equals(id.id())) {
                return true;
            }
            for (Id held : identities) {
                if (held.scheme().equals(id.scheme()) && matches(held, id.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(Id held, String aclId) {
        return switch (held.scheme()) {
            case "digest", "x509" -> held.id().equals(aclId);
            case "ip" -> ipMatches(held.id(), aclId);
            // As Apache's SASL provider: the same id, or a sasl identity named "super".
            case "sasl" -> held.id().equals(aclId) || held.id().equals("super");
            default -> false;
        };
    }

    /** An ip ACL id: address bytes and mask bits; null if malformed. */
    record IpSpec(byte[] address, int bits) {
    }

    static IpSpec parseIpSpec(String spec) {
        if (spec == null || spec.isEmpty()) {
            return null;
        }
        String addr = spec;
        int bits = -1;
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            addr = spec.substring(0, slash);
            try {
                bits = Integer.parseInt(spec.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        byte[] bytes = literalAddress(addr);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        if (bits == -1) {
            bits = max;
        }
        if (bits < 0 || bits > max) {
            return null;
        }
        return new IpSpec(bytes, bits);
    }

    /** Parses an IP literal without ever doing a DNS lookup. */
    private static byte[] literalAddress(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
        if (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+")) {
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean ipMatches(String clientAddress, String aclId) {
        IpSpec spec = parseIpSpec(aclId);
        byte[] client = literalAddress(clientAddress);
        if (spec == null || client == null || client.length != spec.address().length) {
            return false;
        }
        int bits = spec.bits();
        for (int i = 0; i < client.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((client[i] & mask) != (spec.address()[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** getACL without ADMIN: digest ids masked from the first colon on ({@code alice:x}). */
    public static List<ACL> masked(List<ACL> acl) {
        List<ACL> out = new ArrayList<>(acl.size());
        for (ACL entry : acl) {
            Id id = entry.id();
            if ("digest".equals(id.scheme()) && id.id() != null && id.id().indexOf(':') >= 0) {
                out.add(new ACL(entry.perms(), new Id("digest", id.id().substring(0, id.id().indexOf(':')) + ":x")));
            } else {
                out.add(entry);
            }
        }
        return out;
    }

}
