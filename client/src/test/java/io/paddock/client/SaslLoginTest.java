package io.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The server principal a Kerberos client asks a ticket for, named as Apache's client names it. */
class SaslLoginTest {
    private static final InetSocketAddress LOOPBACK =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 2181);

    @Test
    void theServiceUserSlashTheCanonicalHostByDefault() {
        SaslLogin.ServerPrincipals defaults = new SaslLogin.ServerPrincipals(null, "zookeeper", true, false, null);
        String canonical = LOOPBACK.getAddress().getCanonicalHostName();
        String expected = canonical.equals(LOOPBACK.getAddress().getHostAddress()) ? LOOPBACK.getHostString() : canonical;
        assertEquals("zookeeper/" + expected, defaults.forServer(LOOPBACK));
    }

    @Test
    void withoutCanonicalizingTheAddressIsUsedAsGiven() {
        SaslLogin.ServerPrincipals asGiven = new SaslLogin.ServerPrincipals(null, "zk", false, false, null);
        assertEquals("zk/127.0.0.1", asGiven.forServer(new InetSocketAddress("127.0.0.1", 2181)));
        assertEquals("zk/zk1.example.com", asGiven.forServer(InetSocketAddress.createUnresolved("zk1.example.com", 2181)));
    }

    @Test
    void aConfiguredPrincipalWins() {
        SaslLogin.ServerPrincipals configured = new SaslLogin.ServerPrincipals("zookeeper/zk.example.com@R", "zk", true,
                false, null);
        assertEquals("zookeeper/zk.example.com@R", configured.forServer(LOOPBACK));
    }
}
