package io.paddock.protocol;

/** Permission bits of {@code ACL.perms}. */
public final class Perms {
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int CREATE = 4;
    public static final int DELETE = 8;
    public static final int ADMIN = 16;
    public static final int ALL = READ | WRITE | CREATE | DELETE | ADMIN;

    private Perms() {
    }

    /** The letters of a permission mask, in Apache's order {@code cdrwa}. */
    public static String letters(int perms) {
        StringBuilder sb = new StringBuilder(5);
        if ((perms & CREATE) != 0) {
            sb.append('c');
        }
        if ((perms & DELETE) != 0) {
            sb.append('d');
        }
        if ((perms & READ) != 0) {
            sb.append('r');
        }
        if ((perms & WRITE) != 0) {
            sb.append('w');
        }
        if ((perms & ADMIN) != 0) {
            sb.append('a');
        }
        return sb.toString();
    }
}
