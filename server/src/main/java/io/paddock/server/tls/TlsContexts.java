package io.paddock.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.paddock.server.config.ConfigException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** Builds Netty TLS contexts (JDK provider) from {@link TlsSettings}; every failure names the key and file. */
public final class TlsContexts {
    private static final SSLParameters SUPPORTED = supportedParameters();

    private TlsContexts() {
    }

    /** A server's context: its key store is required; {@code clientAuth} says whether peers must present a certificate. */
    public static SslContext forServer(TlsSettings s) {
        if (s.keyStore() == null) {
            throw new ConfigException(s.prefix() + "keyStore.location is not set: a TLS server needs a key store");
        }
        SslContextBuilder b = SslContextBuilder.forServer(keyManagers(s.keyStore())).clientAuth(s.clientAuth().netty());
        // A server does not check its clients' names (Apache's client port does not either).
        return build(common(b, s), s);
    }

    /**
     * A client's context: the key store is optional (sent when the server asks for it); with
     * hostname verification on, the server's certificate must name the host connected to (HTTPS rules).
     * Handlers must then be made with {@code newHandler(alloc, host, port)}.
     */
    public static SslContext forClient(TlsSettings s) {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (s.keyStore() != null) {
            b.keyManager(keyManagers(s.keyStore()));
        }
        b.endpointIdentificationAlgorithm(s.hostnameVerification() ? "HTTPS" : null);
        return build(common(b, s), s);
    }

    private static SslContextBuilder common(SslContextBuilder b, TlsSettings s) {
        if (s.trustStore() != null) {
            b.trustManager(trustManagers(s.trustStore()));
        }
        if (!s.enabledProtocols().isEmpty()) {
            b.protocols(supported(s, "enabledProtocols", s.enabledProtocols(), SUPPORTED.getProtocols()));
        }
        if (!s.cipherSuites().isEmpty()) {
            b.ciphers(supported(s, "ciphersuites", s.cipherSuites(), SUPPORTED.getCipherSuites()));
        }
        return b.sslProvider(SslProvider.JDK);
    }

    /** Names the JDK does not know would be dropped silently, leaving a server that no client can reach. */
    private static List<String> supported(TlsSettings s, String key, List<String> asked, String[] known) {
        List<String> unknown = asked.stream().filter(n -> !Arrays.asList(known).contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException("invalid value '" + String.join(",", asked) + "' for " + s.prefix() + key
                    + ": not supported by this JVM: " + String.join(", ", unknown));
        }
        return asked;
    }

    private static SslContext build(SslContextBuilder b, TlsSettings s) {
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("cannot set up TLS from the " + s.prefix() + "* settings (" + s.prefix()
                    + "enabledProtocols=" + String.join(",", s.enabledProtocols()) + ", " + s.prefix() + "ciphersuites="
                    + String.join(",", s.cipherSuites()) + "): " + e.getMessage(), e);
        }
    }

    private static SSLParameters supportedParameters() {
        try {
            return SSLContext.getDefault().getSupportedSSLParameters();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }

    static KeyManagerFactory keyManagers(StoreFile store) {
        KeyStore ks = store.loadKeys();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, store.password().toCharArray());
            return kmf;
        } catch (GeneralSecurityException e) {
            throw store.failure("cannot read its private key (wrong password?): " + e.getMessage(), e);
        }
    }

    static TrustManagerFactory trustManagers(StoreFile store) {
        KeyStore ks = store.loadTrust();
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw store.failure(e.getMessage(), e);
        }
    }
}
