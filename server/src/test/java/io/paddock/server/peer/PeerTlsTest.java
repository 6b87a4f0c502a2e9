package io.paddock.server.peer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.peer.PeerTransportTest.Recorder;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.TlsCerts;
import io.paddock.server.tls.TlsContexts;
import io.paddock.server.tls.TlsSettings;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between real transports on loopback (servers on 127.0.0.1, .2, .3, each with a
 * certificate naming its own address): who may speak for a server id.
 */
@Timeout(120)
class PeerTlsTest {
    @TempDir
    static Path dir;
    private static TlsCerts ca;
    private static TlsCerts otherCa;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        ca = TlsCerts.authority(dir, "quorum-ca");
        for (int i = 1; i <= 3; i++) {
            ca.issue("server" + i, "CN=server" + i + ",O=Paddock", "ip:127.0.0." + i);
        }
        otherCa = TlsCerts.authority(dir, "stranger-ca");
        otherCa.issue("stranger3", "CN=server3,O=Paddock", "ip:127.0.0.3");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static PeerTls tls(String cert, TlsCerts trusted, boolean hostnameVerification) {
        Map<String, String> keys = Map.of(
                "ssl.quorum.keyStore.location", dir.resolve(cert + ".p12").toString(),
                "ssl.quorum.keyStore.password", TlsCerts.PASSWORD,
                "ssl.quorum.trustStore.location", trusted.trustStore(TlsCerts.Format.PKCS12).toString(),
                "ssl.quorum.trustStore.password", TlsCerts.PASSWORD,
                "ssl.quorum.hostnameVerification", Boolean.toString(hostnameVerification));
        TlsSettings s = TlsSettings.read("ssl.quorum.", keys::get, "test");
        var server = TlsContexts.forServer(s);
        var client = TlsContexts.forClient(s);
        return new PeerTls(() -> server, () -> client, hostnameVerification);
    }

    private PeerTransport start(long id, List<PeerAddress> all, Recorder r, PeerTls tls) throws IOException {
        PeerTransport t = PeerTransport.start(id, all, null, 1000, r, PeerLimits.DEFAULT, new PeerSecurity(tls, null));
        toClose.add(t);
        return t;
    }

    /** Servers 1..n on 127.0.0.1..n, each on free ports. */
    private static List<PeerAddress> addresses(int n) throws IOException {
        List<Integer> ports = Clients.freePorts(2 * n);
        List<PeerAddress> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(new PeerAddress(i, "127.0.0." + i, ports.get(2 * i - 2), ports.get(2 * i - 1)));
        }
        return all;
    }

    private static Msg.Vote vote(long round) {
        return new Msg.Vote(1, 0x1_0000_0005L, 1, round, ServerState.LOOKING);
    }

    @Test
    void serversWithTheirOwnCertificatesTalk() throws Exception {
        List<PeerAddress> all = addresses(3);
        Recorder[] r = {new Recorder(), new Recorder(), new Recorder()};
        PeerTransport[] t = new PeerTransport[3];
        for (int i = 0; i < 3; i++) {
            t[i] = start(i + 1, all, r[i], tls("server" + (i + 1), ca, true));
        }
        for (int i = 0; i < 3; i++) {
            for (long to = 1; to <= 3; to++) {
                if (to != i + 1) {
                    t[i].send(to, vote(i + 1));
                    t[i].send(to, new Msg.Link(5, 1, new Msg.Ping()));
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            Recorder rec = r[i];
            await().until(() -> rec.messages.size() == 4);
        }
    }

    @Test
    void aServerCannotSpeakForAnotherIdWithItsOwnCertificate() throws Exception {
        List<PeerAddress> all = addresses(3);
        Recorder r1 = new Recorder();
        start(1, all, r1, tls("server1", ca, true));
        // Server 2's certificate, used to claim server 3 (whose address it binds; the real 3 is down).
        Recorder impostor = new Recorder();
        PeerTransport fake = start(3, all, impostor, tls("server2", ca, true));
        fake.send(1, vote(1));
        fake.send(1, new Msg.Link(9, 1, new Msg.FollowerInfo(1, 1, 0, false)));
        await().until(() -> impostor.downs(1) >= 2);
        assertTrue(r1.messages.isEmpty(), "nothing of the impostor was delivered: " + r1.messages);
        assertEquals(0, r1.downs(3), "no link of server 3 was ever opened");
    }

    @Test
    void aCertificateFromAnotherAuthorityOrNoneIsRefused() throws Exception {
        List<PeerAddress> all = addresses(3);
        Recorder r1 = new Recorder();
        start(1, all, r1, tls("server1", ca, true));
        Recorder r2 = new Recorder();
        PeerTransport good = start(2, all, r2, tls("server2", ca, true));
        Recorder stranger = new Recorder();
        // Names the right address, but no authority server 1 trusts signed it.
        PeerTransport bad = start(3, all, stranger, tls("stranger3", ca, true));
        bad.send(1, vote(1));
        await().until(() -> stranger.downs(1) >= 1);

        // Plaintext on a TLS port: a forged handshake, as over a plain port.
        RawPeer.assertClosedAfter(all.get(0).electionPort(), out -> RawPeer.frame(out,
                RawPeer.handshake(2, RawPeer.ELECTION)));
        good.send(1, vote(2));
        await().until(() -> r1.got(2, vote(2)));
        assertTrue(r1.from(3).isEmpty(), r1.messages.toString());
        assertEquals(0, r1.downs(2));
    }
}
