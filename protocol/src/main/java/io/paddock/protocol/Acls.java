package io.paddock.protocol;

import java.util.List;

/** The well-known ACL lists that clients use. */
public final class Acls {
    public static final Id ANYONE = new Id("world", "anyone");
    /** Identity placeholder that create/setACL expand into the caller's authenticated identities. */
    public static final Id AUTH_IDS = new Id("auth", "");

    public static final List<ACL> OPEN_ACL_UNSAFE = List.of(new ACL(Perms.ALL, ANYONE));
    public static final List<ACL> CREATOR_ALL_ACL = List.of(new ACL(Perms.ALL, AUTH_IDS));
    public static final List<ACL> READ_ACL_UNSAFE = List.of(new ACL(Perms.READ, ANYONE));

    private Acls() {
    }
}
