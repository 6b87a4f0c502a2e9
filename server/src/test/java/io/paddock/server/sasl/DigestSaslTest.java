package io.paddock.server.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.DigestMd5;
import java.util.Map;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.junit.jupiter.api.Test;

/** DIGEST-MD5 exchanges between the JDK's client and server, with the quorum's names and authorization rule. */
class DigestSaslTest {
    private static final Map<String, String> USERS = Map.of("learner", "pw", "super", "ignored");

    /** Runs the exchange to its end; returns the server's authorization id. */
    private static String exchange(SaslClient client, SaslServer server) throws SaslException {
        byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
        while (!server.isComplete()) {
            byte[] challenge = server.evaluateResponse(token);
            if (!client.isComplete()) {
                token = client.evaluateChallenge(challenge);
            }
        }
        assertTrue(client.isComplete());
        return server.getAuthorizationID();
    }

    private static SaslServer quorumServer(String superPassword) throws SaslException {
        return DigestSasl.server(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, USERS, superPassword,
                Authorizer.SELF_ONLY);
    }

    @Test
    void aLearnerWithItsPasswordIsAuthorizedAsItself() throws Exception {
        SaslClient client = DigestSasl.client(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, "learner", "pw");
        assertEquals("learner", exchange(client, quorumServer(null)));
    }

    @Test
    void aWrongPasswordAnUnknownUserOrAnotherRealmFails() throws Exception {
        assertThrows(SaslException.class, () -> exchange(
                DigestSasl.client(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, "learner", "wrong"),
                quorumServer(null)));
        assertThrows(SaslException.class, () -> exchange(
                DigestSasl.client(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, "nobody", "pw"),
                quorumServer(null)));
        // A client that logs in to the client port's realm does not pass the quorum's.
        assertThrows(SaslException.class, () -> exchange(
                DigestSasl.client(DigestMd5.CLIENT_PROTOCOL, DigestMd5.CLIENT_SERVER_NAME, "learner", "pw"),
                quorumServer(null)));
    }

    @Test
    void theSuperPasswordReplacesTheSectionsOne() throws Exception {
        assertEquals("super", exchange(
                DigestSasl.client(DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, "super", "override"),
                quorumServer("override")));
    }

    @Test
    void selfOnlyRefusesAUserAskingToActAsAnother() throws Exception {
        // Proves it is learner, asks to act as someone-else.
        SaslClient client = Sasl.createSaslClient(new String[] {DigestMd5.MECHANISM}, "someone-else",
                DigestMd5.QUORUM_PROTOCOL, DigestMd5.QUORUM_SERVER_NAME, null, DigestMd5.credentials("learner", "pw"));
        assertThrows(SaslException.class, () -> exchange(client, quorumServer(null)));
    }
}
