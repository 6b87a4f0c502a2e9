package io.paddock.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to the server, configured as Apache ZooKeeper's Java client is: {@code zookeeper.client.secure=true}
 * and the {@code zookeeper.ssl.*} system properties (key and trust store location, password or
 * passwordPath, type JKS or PKCS12 (from the extension when unset), enabledProtocols,
 * ciphersuites, hostnameVerification). With hostname verification on (the default) the server's
 * certificate must name the host of the connect string.
 */
public final class ClientTls {
    /** The channel attribute a connection finds the context under. */
    static final AttributeKey<SslContext> CONTEXT = AttributeKey.valueOf("paddock.tls");

    /**
     * Adds the TLS handler to a new connection's pipeline when the client uses TLS; the host as
     * written in the connect string is what the server's certificate must name.
     */
    static void addHandler(io.netty.channel.socket.SocketChannel ch, java.net.InetSocketAddress address) {
        SslContext tls = ch.attr(CONTEXT).get();
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
        }
    }

    private final SslContext context;

    private ClientTls(SslContext context) {
        this.context = context;
    }

    SslContext context() {
        return context;
    }

    /**
     * TLS as the JVM's system properties ask, or null when {@code zookeeper.client.secure} is not true.
     *
     * @throws IllegalArgumentException naming the property and the file when a store cannot be loaded
     */
    public static ClientTls fromSystemProperties() {
        return from(System::getProperty);
    }

    /**
     * TLS as {@code properties} ask ({@code zookeeper.client.secure}, {@code zookeeper.ssl.*}), or
     * null when {@code zookeeper.client.secure} is not true.
     */
    public static ClientTls from(UnaryOperator<String> properties) {
        if (!"true".equalsIgnoreCase(trimmed(properties.apply("zookeeper.client.secure")))) {
            return null;
        }
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        KeyStore keys = store(properties, "keyStore");
        if (keys != null) {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(keys, password(properties, "keyStore").toCharArray());
                b.keyManager(kmf);
            } catch (GeneralSecurityException e) {
                throw failure(properties, "keyStore", e);
            }
        }
        KeyStore trust = store(properties, "trustStore");
        if (trust != null) {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(trust);
                b.trustManager(tmf);
            } catch (GeneralSecurityException e) {
                throw failure(properties, "trustStore", e);
            }
        }
        String verify = trimmed(properties.apply("zookeeper.ssl.hostnameVerification"));
        b.endpointIdentificationAlgorithm(verify == null || !verify.equalsIgnoreCase("false") ? "HTTPS" : null);
        String protocols = trimmed(properties.apply("zookeeper.ssl.enabledProtocols"));
        if (protocols != null) {
            b.protocols(Arrays.stream(protocols.split(",")).map(String::trim).toList());
        }
        String ciphers = trimmed(properties.apply("zookeeper.ssl.ciphersuites"));
        if (ciphers != null) {
            b.ciphers(Arrays.stream(ciphers.split(",")).map(String::trim).toList());
        }
        try {
            return new ClientTls(b.build());
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS from the zookeeper.ssl.* properties: " + e.getMessage(), e);
        }
    }

    private static KeyStore store(UnaryOperator<String> properties, String which) {
        String location = trimmed(properties.apply("zookeeper.ssl." + which + ".location"));
        if (location == null) {
            return null;
        }
        String type = trimmed(properties.apply("zookeeper.ssl." + which + ".type"));
        if (type == null) {
            type = location.endsWith(".jks") ? "JKS" : location.endsWith(".p12") ? "PKCS12" : null;
        }
        if (type == null || !(type.equalsIgnoreCase("JKS") || type.equalsIgnoreCase("PKCS12"))) {
            throw new IllegalArgumentException("zookeeper.ssl." + which + ".location=" + location + ": Paddock's client"
                    + " reads JKS (.jks) and PKCS12 (.p12) stores; set zookeeper.ssl." + which + ".type to one of them");
        }
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore ks = KeyStore.getInstance(type.toUpperCase(Locale.ROOT));
            ks.load(in, password(properties, which).toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw failure(properties, which, e);
        }
    }

    /** {@code <which>.passwordPath} (a file holding it) wins over {@code <which>.password}, as in Apache. */
    private static String password(UnaryOperator<String> properties, String which) {
        String path = trimmed(properties.apply("zookeeper.ssl." + which + ".passwordPath"));
        if (path != null) {
            try {
                String secret = Files.readString(Path.of(path), StandardCharsets.UTF_8);
                return secret.endsWith("\n") ? secret.substring(0, secret.length() - 1) : secret;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read zookeeper.ssl." + which + ".passwordPath=" + path
                        + ": " + e, e);
            }
        }
        String p = properties.apply("zookeeper.ssl." + which + ".password");
        return p == null ? "" : p;
    }

    private static IllegalArgumentException failure(UnaryOperator<String> properties, String which, Exception e) {
        return new IllegalArgumentException("cannot load zookeeper.ssl." + which + ".location="
                + properties.apply("zookeeper.ssl." + which + ".location") + ": " + e.getMessage(), e);
    }

    private static String trimmed(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
