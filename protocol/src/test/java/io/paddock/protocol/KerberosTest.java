package io.paddock.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Date;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import org.junit.jupiter.api.Test;

/** Principal names as ZooKeeper writes them, and when a ticket is due for a new login. */
class KerberosTest {
    @Test
    void principalsSplitIntoServiceHostAndRealm() {
        assertEquals(new Kerberos.Principal("zookeeper", "zk1.example.com", "EXAMPLE.COM"),
                Kerberos.Principal.parse("zookeeper/zk1.example.com@EXAMPLE.COM"));
        assertEquals(new Kerberos.Principal("bob", null, "EXAMPLE.COM"), Kerberos.Principal.parse("bob@EXAMPLE.COM"));
        assertEquals(new Kerberos.Principal("zkquorum", "localhost", null), Kerberos.Principal.parse("zkquorum/localhost"));
        assertEquals("zkquorum/localhost@R", Kerberos.Principal.parse("zkquorum/localhost").inRealm("R").toString());
        assertEquals("bob@EXAMPLE.COM", Kerberos.Principal.parse("bob@EXAMPLE.COM").inRealm("OTHER").toString());
        for (String bad : new String[] {"", "/host", "svc/", "svc@", "a/b/c@R"}) {
            assertThrows(IllegalArgumentException.class, () -> Kerberos.Principal.parse(bad), bad);
        }
    }

    @Test
    void underscoreHostBecomesTheDialledHostInLowerCase() {
        assertEquals("zkquorum/zk2.example.com", Kerberos.Principal.forHost("zkquorum/_HOST", "ZK2.Example.com"));
        assertEquals("zkquorum/zk2@R", Kerberos.Principal.forHost("zkquorum/_HOST@R", "zk2"));
        assertEquals("zkquorum/localhost", Kerberos.Principal.forHost("zkquorum/localhost", "zk2"));
    }

    @Test
    void aTicketIsRenewedAfterFourFifthsOfItsLife() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        KerberosTicket tgt = new KerberosTicket(new byte[] {1}, new KerberosPrincipal("bob@R"),
                new KerberosPrincipal("krbtgt/R@R"), new byte[16], 17, new boolean[32], Date.from(start),
                Date.from(start), Date.from(start.plusSeconds(10_000)), null, null);
        assertFalse(KerberosLogin.dueForRenewal(tgt, start.plusSeconds(7_999)));
        assertTrue(KerberosLogin.dueForRenewal(tgt, start.plusSeconds(8_000)));
        assertTrue(KerberosLogin.dueForRenewal(tgt, start.plusSeconds(20_000)));
    }
}
