package io.paddock.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Id;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Perms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit line's text and the user names, as Apache forms them. */
class AuditLineTest {
    @Test
    void pairsInApacheOrderTabSeparatedNullsLeftOut() {
        assertEquals("session=0x1a\tuser=127.0.0.1\tip=127.0.0.1\toperation=setAcl\tznode=/a\tacl=world:anyone:r"
                        + "\tresult=failure",
                new AuditLine("0x1a", "127.0.0.1", "127.0.0.1", "setAcl", "/a", null, "world:anyone:r", false)
                        .toString());
        assertEquals("user=zk\toperation=serverStop\tresult=invoked",
                AuditLine.ofServer("zk", "serverStop", AuditLine.INVOKED).toString());
    }

    @Test
    void usersAreTheNamesTheIdentitiesCarry() {
        assertEquals("10.0.0.1,alice", AuditLog.users(List.of(new Id("ip", "10.0.0.1"),
                new Id("digest", "alice:X/hash="), new Id("super", ""))));
        assertNull(AuditLog.users(List.of(new Id("super", ""))));
        assertEquals("digest:bob:h:cdrwa,world:anyone:r", AuditLog.aclText(List.of(
                new ACL(Perms.ALL, new Id("digest", "bob:h")), new ACL(Perms.READ, new Id("world", "anyone")))));
    }

    @Test
    void aRequestWithoutABodyIsSkippedNotAFailure() {
        new AuditLog(true).answered(1, List.of(), OpCode.SET_ACL, null, -6, null);
    }
}
