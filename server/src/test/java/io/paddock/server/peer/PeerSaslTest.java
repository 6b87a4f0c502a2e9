package io.paddock.server.peer;

import static io.paddock.server.peer.RawPeer.assertClosedAfter;
import static io.paddock.server.peer.RawPeer.frame;
import static io.paddock.server.peer.RawPeer.handshake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.peer.PeerTransportTest.Recorder;
import io.paddock.server.testing.Clients;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SASL DIGEST-MD5 between real transports on loopback: who may speak for a server id, and what an
 * attacker on the same host can no longer do (speak unauthenticated, cut a live link, forge an epoch).
 */
@Timeout(120)
class PeerSaslTest {
    private static final Map<String, String> USERS = Map.of("paddock", "s3cret");
    private static final PeerSasl GOOD = new PeerSasl(true, true, new PeerSasl.Digest(USERS, "paddock", "s3cret"));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private PeerTransport start(long id, List<PeerAddress> all, Recorder r, PeerSasl sasl) throws IOException {
        PeerTransport t = PeerTransport.start(id, all, null, 1000, r, PeerLimits.DEFAULT,
                new PeerSecurity(null, sasl));
        toClose.add(t);
        return t;
    }

    private static Msg.Vote vote(long round) {
        return new Msg.Vote(1, 0x1_0000_0005L, 1, round, ServerState.LOOKING);
    }

    private static Msg.Link link(long seq) {
        return new Msg.Link(7, seq, new Msg.Commit(seq));
    }

    @Test
    void serversWithTheCredentialsTalkAndOneWithAWrongPasswordIsNeverHeard() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(3);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        start(1, all, r1, GOOD);
        PeerTransport t2 = start(2, all, r2, new PeerSasl(true, true, new PeerSasl.Digest(USERS, "paddock", "wrong")));
        PeerTransport t3 = start(3, all, r3, GOOD);

        t2.send(1, vote(1));
        t2.send(1, link(1));
        // Server 2's attempts fail and it is told so (its messages are lost).
        await().until(() -> r2.downs(1) >= 2);
        t3.send(1, vote(2));
        t3.send(1, link(2));
        await().until(() -> r1.got(3, vote(2)) && r1.got(3, link(2)));
        assertTrue(r1.from(2).isEmpty(), "nothing of the wrongly authenticated server was delivered: " + r1.from(2));

        // An unknown user fails the same way.
        Recorder r4 = new Recorder();
        List<PeerAddress> two = Clients.peerAddresses(2);
        start(1, two, r4, GOOD);
        Recorder r5 = new Recorder();
        PeerTransport t5 = start(2, two, r5, new PeerSasl(true, true, new PeerSasl.Digest(USERS, "mallory", "s3cret")));
        t5.send(1, vote(3));
        await().until(() -> r5.downs(1) >= 1);
        assertTrue(r4.messages.isEmpty());
    }

    @Test
    void anUnauthenticatedConnectionNamingALivePeerIsRefusedAndTheLinkLives() throws Exception {
        List<PeerAddress> all = Clients.peerAddresses(2);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        start(1, all, r1, GOOD);
        PeerTransport t2 = start(2, all, r2, GOOD);
        t2.send(1, vote(1));
        t2.send(1, link(1));
        await().until(() -> r1.got(2, vote(1)) && r1.got(2, link(1)));

        int quorum = all.get(0).quorumPort();
        int election = all.get(0).electionPort();
        for (int i = 0; i < 20; i++) {
            // The repeated-handshake attack: a valid handshake naming server 2, then messages.
            assertClosedAfter(quorum, out -> {
                frame(out, handshake(2, RawPeer.QUORUM));
                frame(out, RawPeer.message(new Msg.Link(99, 1, new Msg.FollowerInfo(0xFFFF_FFFFL, 0, 0, false))));
            });
            assertClosedAfter(election, out -> {
                frame(out, handshake(2, RawPeer.ELECTION));
                frame(out, RawPeer.message(new Msg.Vote(2, 0x7000_0000_0000_0000L, 0x7000_0000L, 1000, ServerState.LEADING)));
            });
        }
        // A garbage SASL token and a silent dialler after the handshake are closed too.
        assertClosedAfter(quorum, out -> {
            frame(out, handshake(2, RawPeer.QUORUM));
            frame(out, new byte[] {PeerCodec.AUTH, 0, 'x', 'y', 'z'});
        });
        assertClosedAfter(quorum, out -> frame(out, handshake(2, RawPeer.QUORUM)));

        assertEquals(0, r1.downs(2), "server 2's live links were never cut");
        assertTrue(r1.messages.stream().allMatch(m -> m.from() == 2 && (m.msg().equals(vote(1))
                || m.msg().equals(link(1)))), "nothing forged was delivered: " + r1.messages);
        t2.send(1, vote(2));
        t2.send(1, link(2));
        await().until(() -> r1.got(2, vote(2)) && r1.got(2, link(2)));
        assertEquals(0, r1.downs(2));
    }

    @Test
    void whoRequiresWhatDecidesAMixedPair() throws Exception {
        // An accepting server that does SASL but does not require it lets a plain server in (a rolling change).
        List<PeerAddress> all = Clients.peerAddresses(2);
        Recorder r1 = new Recorder();
        start(1, all, r1, new PeerSasl(false, false, new PeerSasl.Digest(USERS, "paddock", "s3cret")));
        PeerTransport plain = start(2, all, new Recorder(), null);
        plain.send(1, vote(1));
        await().until(() -> r1.got(2, vote(1)));

        // A dialling server that requires SASL refuses to send to one that does none...
        List<PeerAddress> other = Clients.peerAddresses(2);
        Recorder r3 = new Recorder();
        start(1, other, r3, null);
        Recorder r4 = new Recorder();
        PeerTransport strict = start(2, other, r4, GOOD);
        strict.send(1, vote(2));
        await().until(() -> r4.downs(1) >= 1);
        assertTrue(r3.messages.isEmpty());

        // ...and one that does not require it goes on unauthenticated.
        List<PeerAddress> third = Clients.peerAddresses(2);
        Recorder r5 = new Recorder();
        start(1, third, r5, null);
        PeerTransport lenient = start(2, third, new Recorder(), new PeerSasl(false, false, new PeerSasl.Digest(USERS, "paddock", "s3cret")));
        lenient.send(1, vote(3));
        await().until(() -> r5.got(2, vote(3)));
    }
}
