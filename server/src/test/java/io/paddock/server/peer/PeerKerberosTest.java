package io.paddock.server.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.protocol.KerberosLogin;
import io.paddock.server.testing.Kdc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.security.auth.login.Configuration;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerberos between servers against a real KDC: a dialling server proves its principal to the
 * dialled server's ({@code zkquorum/_HOST} resolved to that host), and the principal must name the
 * host of the server it claims to be.
 */
class PeerKerberosTest {
    @TempDir
    static Path dir;
    static Kdc kdc;
    static Configuration previous;
    static PeerSasl.Gssapi one;
    static PeerSasl.Gssapi two;

    @BeforeAll
    static void realm() throws Exception {
        kdc = Kdc.start(dir);
        kdc.useInThisJvm();
        Path host1 = kdc.keytab("host1.keytab", "zkquorum/127.0.0.1");
        Path host2 = kdc.keytab("host2.keytab", "zkquorum/127.0.0.2");
        previous = Configuration.getConfiguration();
        Map<String, Map<String, String>> sections = Map.of("One", Kdc.keytabOptions(host1, "zkquorum/127.0.0.1"),
                "Two", Kdc.keytabOptions(host2, "zkquorum/127.0.0.2"));
        Configuration.setConfiguration(Kdc.jaas(sections));
        KerberosLogin l1 = KerberosLogin.login("One");
        KerberosLogin l2 = KerberosLogin.login("Two");
        one = new PeerSasl.Gssapi(l1, l1, "zkquorum/_HOST", false);
        two = new PeerSasl.Gssapi(l2, l2, "zkquorum/_HOST", false);
    }

    @AfterAll
    static void close() {
        Configuration.setConfiguration(previous);
        kdc.close();
    }

    /** The whole exchange as the transport runs it; the accepting side's authorization id. */
    private static String exchange(SaslClient client, SaslServer server) throws SaslException {
        byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
        for (int round = 0; round < 10; round++) {
            byte[] reply = server.evaluateResponse(token);
            if (server.isComplete()) {
                if (reply != null && reply.length > 0) {
                    client.evaluateChallenge(reply);
                }
                return server.getAuthorizationID();
            }
            token = client.evaluateChallenge(reply);
        }
        throw new AssertionError("the exchange did not end");
    }

    @Test
    void aServerProvesItsOwnHostsPrincipal() throws Exception {
        // Server 2 (on 127.0.0.2) dials server 1 (on 127.0.0.1), which knows server 2 is on 127.0.0.2.
        PeerSasl dialler = new PeerSasl(true, true, two);
        PeerSasl dialled = new PeerSasl(true, true, one);
        assertEquals("zkquorum/127.0.0.2@" + Kdc.REALM,
                exchange(dialler.newClient("127.0.0.1"), dialled.newServer("127.0.0.2")));
    }

    @Test
    void aServerClaimingAnotherHostsIdIsRefused() throws Exception {
        // The same proof, from a server claiming an id whose server.N line says 127.0.0.1.
        PeerSasl dialler = new PeerSasl(true, true, two);
        PeerSasl dialled = new PeerSasl(true, true, one);
        assertThrows(SaslException.class, () -> exchange(dialler.newClient("127.0.0.1"), dialled.newServer("127.0.0.1")));
    }

    @Test
    void aDiallerAddressingTheWrongHostsPrincipalFails() throws Exception {
        // Server 1 dials "127.0.0.2" but reaches server 1's own keys: the ticket is for a key it lacks.
        PeerSasl dialler = new PeerSasl(true, true, one);
        PeerSasl dialled = new PeerSasl(true, true, one);
        assertThrows(SaslException.class, () -> exchange(dialler.newClient("127.0.0.2"), dialled.newServer("127.0.0.1")));
    }
}
