package io.paddock.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.paddock.server.config.ConfigException;
import io.paddock.server.testing.TlsCerts;
import io.paddock.server.testing.TlsCerts.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Settings read under a prefix, stores of every format loaded, and real handshakes between the contexts built. */
class TlsContextsTest {
    @TempDir
    static Path dir;
    static TlsCerts ca;
    static TlsCerts otherCa;
    static TlsCerts.Issued server;
    static TlsCerts.Issued client;
    static TlsCerts.Issued stranger;

    @BeforeAll
    static void certificates() {
        ca = TlsCerts.authority(dir, "ca");
        otherCa = TlsCerts.authority(dir, "other-ca");
        server = ca.issue("server", "CN=localhost,OU=Servers,O=Paddock Test");
        client = ca.issue("client", "CN=client one,OU=Clients,O=Paddock Test");
        stranger = otherCa.issue("stranger", "CN=stranger,O=Elsewhere");
    }

    private static TlsSettings settings(String prefix, Map<String, String> keys) {
        return TlsSettings.read(prefix, keys::get, "zoo.cfg");
    }

    private static Map<String, String> stores(String prefix, TlsCerts.Issued own, TlsCerts trusted, Format format) {
        Map<String, String> m = new HashMap<>();
        m.put(prefix + "keyStore.location", own.store(format).toString());
        m.put(prefix + "keyStore.password", TlsCerts.PASSWORD);
        m.put(prefix + "trustStore.location", trusted.trustStore(format).toString());
        m.put(prefix + "trustStore.password", TlsCerts.PASSWORD);
        return m;
    }

    /** Shuttles bytes between a client and a server handler until both handshakes are settled; true if both succeeded. */
    private static boolean handshake(SslContext serverCtx, SslContext clientCtx, String host) {
        EmbeddedChannel s = new EmbeddedChannel(serverCtx.newHandler(ByteBufAllocator.DEFAULT));
        EmbeddedChannel c = new EmbeddedChannel(clientCtx.newHandler(ByteBufAllocator.DEFAULT, host, 2281));
        SslHandler sh = s.pipeline().get(SslHandler.class);
        SslHandler ch = c.pipeline().get(SslHandler.class);
        try {
            for (int i = 0; i < 50 && !(sh.handshakeFuture().isDone() && ch.handshakeFuture().isDone()); i++) {
                move(c, s);
                move(s, c);
            }
            return sh.handshakeFuture().isSuccess() && ch.handshakeFuture().isSuccess();
        } finally {
            s.finishAndReleaseAll();
            c.finishAndReleaseAll();
        }
    }

    private static void move(EmbeddedChannel from, EmbeddedChannel to) {
        try {
            from.runPendingTasks();
            ByteBuf b;
            while ((b = from.readOutbound()) != null) {
                to.writeInbound(b);
            }
            to.runPendingTasks();
        } catch (Exception e) {
            // a handshake failure (or the channel it closed) surfaces here; the futures tell the outcome
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void everyStoreFormatGivesAMutuallyAuthenticatedHandshake(Format format) {
        TlsSettings s = settings("ssl.", stores("ssl.", server, ca, format));
        TlsSettings c = settings("ssl.", stores("ssl.", client, ca, format));
        assertEquals(StoreType.valueOf(format.name()), s.keyStore().type(), "type inferred from the extension");
        assertTrue(handshake(TlsContexts.forServer(s), TlsContexts.forClient(c), "localhost"));
        assertTrue(handshake(TlsContexts.forServer(s), TlsContexts.forClient(c), "127.0.0.1"));
    }

    @Test
    void anEncryptedPemKeyIsReadWithTheStorePassword() {
        Map<String, String> keys = stores("ssl.", server, ca, Format.PEM);
        keys.put("ssl.keyStore.location", server.encryptedPem().toString());
        keys.put("ssl.keyStore.password", TlsCerts.PASSWORD);
        TlsSettings c = settings("ssl.", stores("ssl.", client, ca, Format.PEM));
        assertTrue(handshake(TlsContexts.forServer(settings("ssl.", keys)), TlsContexts.forClient(c), "localhost"));
        keys.put("ssl.keyStore.password", "wrong");
        ConfigException e = assertThrows(ConfigException.class, () -> TlsContexts.forServer(settings("ssl.", keys)));
        assertTrue(e.getMessage().contains("ssl.keyStore.location=" + server.encryptedPem()), e.getMessage());
        keys.remove("ssl.keyStore.password");
        e = assertThrows(ConfigException.class, () -> TlsContexts.forServer(settings("ssl.", keys)));
        assertTrue(e.getMessage().contains("no password"), e.getMessage());
    }

    @Test
    void theQuorumPrefixReadsItsOwnKeysOnly() {
        Map<String, String> keys = stores("ssl.quorum.", server, ca, Format.JKS);
        keys.put("ssl.keyStore.location", "/nowhere/client.jks");
        keys.put("ssl.quorum.clientAuth", "want");
        keys.put("ssl.quorum.enabledProtocols", "TLSv1.3, TLSv1.2");
        keys.put("ssl.quorum.hostnameVerification", "false");
        TlsSettings q = settings("ssl.quorum.", keys);
        assertEquals(server.store(Format.JKS), q.keyStore().location());
        assertEquals(ClientAuth.WANT, q.clientAuth());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), q.enabledProtocols());
        assertFalse(q.hostnameVerification());
        TlsSettings none = settings("ssl.", Map.of());
        assertNull(none.keyStore());
        assertEquals(ClientAuth.NEED, none.clientAuth(), "Apache's default");
        assertTrue(none.hostnameVerification(), "Apache's default");
    }

    @Test
    void aClientChecksTheServersNameUnlessToldNotTo() {
        SslContext s = TlsContexts.forServer(settings("ssl.", stores("ssl.", server, ca, Format.PKCS12)));
        Map<String, String> keys = stores("ssl.", client, ca, Format.PKCS12);
        assertFalse(handshake(s, TlsContexts.forClient(settings("ssl.", keys)), "paddock.example.com"));
        keys.put("ssl.hostnameVerification", "false");
        assertTrue(handshake(s, TlsContexts.forClient(settings("ssl.", keys)), "paddock.example.com"));
    }

    @Test
    void clientAuthNeedRefusesAStrangerAndAClientWithoutCertificate() {
        Map<String, String> serverKeys = stores("ssl.", server, ca, Format.PKCS12);
        SslContext need = TlsContexts.forServer(settings("ssl.", serverKeys));
        Map<String, String> strangerKeys = stores("ssl.", stranger, ca, Format.PKCS12);
        assertFalse(handshake(need, TlsContexts.forClient(settings("ssl.", strangerKeys)), "localhost"));
        Map<String, String> anonymous = new HashMap<>(Map.of("ssl.trustStore.location", ca.trustStore(Format.PEM).toString()));
        assertFalse(handshake(need, TlsContexts.forClient(settings("ssl.", anonymous)), "localhost"));
        serverKeys.put("ssl.clientAuth", "want");
        SslContext want = TlsContexts.forServer(settings("ssl.", serverKeys));
        assertTrue(handshake(want, TlsContexts.forClient(settings("ssl.", anonymous)), "localhost"));
        serverKeys.put("ssl.clientAuth", "none");
        assertTrue(handshake(TlsContexts.forServer(settings("ssl.", serverKeys)),
                TlsContexts.forClient(settings("ssl.", anonymous)), "localhost"));
    }

    @Test
    void aServerCertificateFromAnotherAuthorityIsRefusedByTheClient() {
        SslContext s = TlsContexts.forServer(settings("ssl.", stores("ssl.", stranger, otherCa, Format.JKS)));
        assertFalse(handshake(s, TlsContexts.forClient(settings("ssl.", stores("ssl.", client, ca, Format.JKS))),
                "localhost"));
    }

    @Test
    void aWrongPasswordNamesTheKeyAndTheFile() {
        for (Format f : Format.values()) {
            if (f == Format.PEM) {
                continue; // a plain PEM key has no password to get wrong
            }
            Map<String, String> keys = stores("ssl.", server, ca, f);
            keys.put("ssl.keyStore.password", "wrong");
            ConfigException e = assertThrows(ConfigException.class, () -> TlsContexts.forServer(settings("ssl.", keys)));
            assertTrue(e.getMessage().contains("ssl.keyStore.location=" + server.store(f)), e.getMessage());
        }
        Map<String, String> keys = stores("ssl.quorum.", server, ca, Format.JKS);
        keys.put("ssl.quorum.trustStore.password", "wrong");
        ConfigException e = assertThrows(ConfigException.class, () -> TlsContexts.forServer(settings("ssl.quorum.", keys)));
        assertTrue(e.getMessage().contains("ssl.quorum.trustStore.location=" + ca.trustStore(Format.JKS)), e.getMessage());
    }

    @Test
    void aMissingOrUnrecognisableFileNamesTheKey() {
        Map<String, String> keys = stores("ssl.", server, ca, Format.JKS);
        keys.put("ssl.keyStore.location", dir.resolve("absent.jks").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> TlsContexts.forServer(settings("ssl.", keys)));
        assertTrue(e.getMessage().contains("ssl.keyStore.location=" + dir.resolve("absent.jks")), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());

        keys.put("ssl.keyStore.location", "/etc/zk/keystore.bin");
        e = assertThrows(ConfigException.class, () -> settings("ssl.", keys));
        assertTrue(e.getMessage().contains("ssl.keyStore.type"), e.getMessage());

        keys.put("ssl.keyStore.type", "BCFKS");
        e = assertThrows(ConfigException.class, () -> settings("ssl.", keys));
        assertTrue(e.getMessage().contains("'BCFKS' for ssl.keyStore.type in zoo.cfg"), e.getMessage());

        Map<String, String> noKey = stores("ssl.", server, ca, Format.JKS);
        noKey.remove("ssl.keyStore.location");
        e = assertThrows(ConfigException.class, () -> TlsContexts.forServer(settings("ssl.", noKey)));
        assertTrue(e.getMessage().contains("ssl.keyStore.location is not set"), e.getMessage());
    }

    @Test
    void anExplicitTypeWinsOverTheExtensionAndAPasswordFileOverThePassword() throws Exception {
        Path renamed = dir.resolve("server-store.bin");
        Files.copy(server.store(Format.PKCS12), renamed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, TlsCerts.PASSWORD + "\n");
        Map<String, String> keys = stores("ssl.", server, ca, Format.JKS);
        keys.put("ssl.keyStore.location", renamed.toString());
        keys.put("ssl.keyStore.type", "pkcs12");
        keys.put("ssl.keyStore.password", "not this one");
        keys.put("ssl.keyStore.passwordPath", secret.toString());
        TlsSettings s = settings("ssl.", keys);
        assertEquals(StoreType.PKCS12, s.keyStore().type());
        assertTrue(handshake(TlsContexts.forServer(s),
                TlsContexts.forClient(settings("ssl.", stores("ssl.", client, ca, Format.JKS))), "localhost"));

        keys.put("ssl.keyStore.passwordPath", dir.resolve("no-secret.txt").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> settings("ssl.", keys));
        assertTrue(e.getMessage().contains("ssl.keyStore.passwordPath=" + dir.resolve("no-secret.txt")), e.getMessage());
    }

    @Test
    void badValuesNameTheirKey() {
        Map<String, String> keys = stores("ssl.", server, ca, Format.JKS);
        keys.put("ssl.clientAuth", "sometimes");
        ConfigException e = assertThrows(ConfigException.class, () -> settings("ssl.", keys));
        assertTrue(e.getMessage().contains("ssl.clientAuth"), e.getMessage());
        keys.remove("ssl.clientAuth");
        keys.put("ssl.enabledProtocols", "TLSv0.9");
        e = assertThrows(ConfigException.class, () -> TlsContexts.forServer(settings("ssl.", keys)));
        assertTrue(e.getMessage().contains("'TLSv0.9' for ssl.enabledProtocols"), e.getMessage());
    }

    @Test
    void aReloadingContextFollowsItsFilesAndKeepsTheOldOneWhenTheNewCannotBeLoaded() throws Exception {
        Path live = dir.resolve("live.p12");
        Files.copy(server.store(Format.PKCS12), live, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> keys = stores("ssl.", server, ca, Format.PKCS12);
        keys.put("ssl.keyStore.location", live.toString());
        ReloadingSslContext reloading = ReloadingSslContext.forServer(settings("ssl.", keys), true);
        SslContext first = reloading.get();
        assertTrue(first == reloading.get(), "unchanged files: the same context");
        Files.copy(stranger.store(Format.PKCS12), live, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(live, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        SslContext second = reloading.get();
        assertFalse(first == second, "a changed key store: a new context");
        SslContext clientCtx = TlsContexts.forClient(settings("ssl.", stores("ssl.", client, ca, Format.PKCS12)));
        assertFalse(handshake(second, clientCtx, "localhost"), "the new certificate (another authority's) is served");
        Files.writeString(live, "half written");
        assertTrue(second == reloading.get(), "an unreadable store keeps the previous context");
        ReloadingSslContext fixed = ReloadingSslContext.forServer(settings("ssl.", stores("ssl.", server, ca,
                Format.PKCS12)), false);
        assertTrue(handshake(fixed.get(), clientCtx, "localhost"));
    }
}
