package io.paddock.cli;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Id;
import io.paddock.protocol.Perms;
import java.util.ArrayList;
import java.util.List;

/** ACLs as the shell reads and writes them: {@code scheme:id:perms[,...]} with perms from {@code cdrwa}. */
public final class AclText {
    private AclText() {
    }

    /**
     * Parses a comma-separated ACL list. The id sits between the first and the last colon, so
     * ids that contain colons ({@code digest:user:hash:cdrwa}, IPv6 addresses) work.
     */
    public static List<ACL> parse(String text) {
        List<ACL> acl = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            int first = e.indexOf(':');
            int last = e.lastIndexOf(':');
            if (first <= 0 || last == first) {
                throw new CliException("invalid ACL entry '" + e + "': expected scheme:id:perms");
            }
            acl.add(new ACL(perms(e.substring(last + 1)), new Id(e.substring(0, first), e.substring(first + 1, last))));
        }
        return acl;
    }

    static int perms(String letters) {
        int perms = 0;
        for (char c : letters.toCharArray()) {
            perms |= switch (c) {
                case 'c' -> Perms.CREATE;
                case 'd' -> Perms.DELETE;
                case 'r' -> Perms.READ;
                case 'w' -> Perms.WRITE;
                case 'a' -> Perms.ADMIN;
                default -> throw new CliException("invalid permission '" + c + "' in ACL: use letters from cdrwa");
            };
        }
        return perms;
    }

    /** The letters of a permission mask, in Apache's order {@code cdrwa}. */
    public static String perms(int perms) {
        return Perms.letters(perms);
    }

    /** One entry as getAcl prints it: {@code 'scheme,'id} on one line, {@code : perms} on the next. */
    public static String format(ACL acl) {
        return "'" + acl.id().scheme() + ",'" + acl.id().id() + "\n: " + perms(acl.perms());
    }
}
