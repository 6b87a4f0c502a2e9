package io.paddock.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sample field values shared by the golden tests, and converters that build Apache's equivalent
 * records from ours. Every field of the sample Stat differs so a swapped field shows in the bytes.
 */
final class Samples {
    static final String PATH = "/app/config";
    /** Two-byte (é) and three-byte (中文) UTF-8 sequences, a space, and the BMP's last code point. */
    static final String UNICODE = "/é/中文/a b\uffff";
    static final byte[] DATA = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, 'x'};
    static final byte[] EMPTY = new byte[0];
    static final byte[] PASSWORD = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1, 2, 3,
                                    4, 5, 6, 7, (byte) 0x80, (byte) 0x90, (byte) 0xa0, (byte) 0xff};

    static final Stat STAT = new Stat(0x0102030405060708L, -2L, 1_700_000_000_123L, Long.MIN_VALUE,
            7, -2, Integer.MAX_VALUE, 0x7f00000000000001L, 1_048_575, Integer.MIN_VALUE, -1L);
    static final Stat ZERO_STAT = new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    static final List<ACL> ACLS = List.of(
            new ACL(Perms.ALL, new Id("world", "anyone")),
            new ACL(Perms.READ | Perms.ADMIN, new Id("digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=")),
            new ACL(-1, new Id("ip", "10.0.0.0/8")),
            new ACL(0, new Id(null, null)));

    private Samples() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static org.apache.zookeeper.data.Stat z(Stat s) {
        return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(),
                s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(), s.numChildren(), s.pzxid());
    }

    static org.apache.zookeeper.data.Id z(Id id) {
        return new org.apache.zookeeper.data.Id(id.scheme(), id.id());
    }

    static org.apache.zookeeper.data.ACL z(ACL acl) {
        return new org.apache.zookeeper.data.ACL(acl.perms(), z(acl.id()));
    }

    static org.apache.zookeeper.data.ClientInfo z(ClientInfo info) {
        return new org.apache.zookeeper.data.ClientInfo(info.authScheme(), info.user());
    }

    static List<org.apache.zookeeper.data.ACL> zAcls(List<ACL> acls) {
        if (acls == null) {
            return null;
        }
        List<org.apache.zookeeper.data.ACL> out = new ArrayList<>();
        acls.forEach(acl -> out.add(z(acl)));
        return out;
    }

    static List<org.apache.zookeeper.data.ClientInfo> zInfos(List<ClientInfo> infos) {
        if (infos == null) {
            return null;
        }
        List<org.apache.zookeeper.data.ClientInfo> out = new ArrayList<>();
        infos.forEach(info -> out.add(z(info)));
        return out;
    }
}
