package io.paddock.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.function.Executable;

/** Small assertion helpers around the Java client. */
final class Keeper {
    static final List<ACL> OPEN = Ids.OPEN_ACL_UNSAFE;

    private Keeper() {
    }

    /** Runs the operation, expects a KeeperException with exactly this code, and returns it. */
    static KeeperException assertFails(Code expected, Executable operation) {
        KeeperException e = assertThrows(KeeperException.class, operation);
        assertEquals(expected, e.code(), () -> "unexpected error: " + e);
        return e;
    }

    static ACL acl(int perms, String scheme, String id) {
        return new ACL(perms, new Id(scheme, id));
    }

    /** A mutable ACL list: the Java client calls contains(null) on it, which immutable lists reject. */
    static List<ACL> acls(ACL... entries) {
        return new java.util.ArrayList<>(java.util.Arrays.asList(entries));
    }

    static byte[] bytes(String text) {
        return Jute.utf8(text);
    }

    /** All Stat fields in one line, so a mismatch shows every difference at once. */
    static String describe(Stat s) {
        return "czxid=" + s.getCzxid() + " mzxid=" + s.getMzxid() + " pzxid=" + s.getPzxid()
                + " ctime=" + s.getCtime() + " mtime=" + s.getMtime() + " version=" + s.getVersion()
                + " cversion=" + s.getCversion() + " aversion=" + s.getAversion()
                + " ephemeralOwner=" + s.getEphemeralOwner() + " dataLength=" + s.getDataLength()
                + " numChildren=" + s.getNumChildren();
    }

    static Stat stat(long czxid, long mzxid, long pzxid, long ctime, long mtime, int version, int cversion,
            int aversion, long ephemeralOwner, int dataLength, int numChildren) {
        return new Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength,
                numChildren, pzxid);
    }

    static void assertStat(Stat expected, Stat actual) {
        assertEquals(describe(expected), describe(actual));
    }
}
