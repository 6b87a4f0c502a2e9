package io.paddock.server.peer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Mutual TLS between servers ({@code sslQuorum}): every connection is TLS, and each side proves
 * it holds a certificate the other trusts.
 *
 * <p>With hostname verification on, a certificate must also name the server it speaks for: the
 * dialling side checks the dialled server's certificate against the host of its {@code server.N}
 * line (the JDK's HTTPS rules), and the accepting side checks the dialler's certificate against
 * the host of the {@code server.N} line it claims to be in its handshake. So a peer cannot claim
 * another server's id unless it holds that server's certificate.
 *
 * @param server the context for each accepted connection (asked per connection, so that it can follow
 *     renewed certificate files); it must demand a client certificate
 * @param client the context for each dialled connection; with hostname verification on, it must check
 *     the dialled server's name (HTTPS endpoint identification)
 * @param hostnameVerification ssl.quorum.hostnameVerification
 */
public record PeerTls(Supplier<SslContext> server, Supplier<SslContext> client, boolean hostnameVerification) {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    SslHandler serverHandler(ByteBufAllocator alloc) {
        return server.get().newHandler(alloc);
    }

    SslHandler clientHandler(ByteBufAllocator alloc, String host, int port) {
        return client.get().newHandler(alloc, host, port);
    }

    /**
     * Whether {@code cert} names {@code host} as written in a server.N line: a DNS name among its
     * subject alternative names (a leading "*." matches one label), an IP address among them for
     * an IP host, or, only for a certificate without alternative names, its subject's CN.
     */
    static boolean names(X509Certificate cert, String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        boolean ipHost = isIpLiteral(wanted);
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null || sans.isEmpty()) {
            return !ipHost && dnsMatches(commonName(cert), wanted);
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ipHost && type == SAN_IP && sameAddress(value, wanted)) {
                return true;
            }
            if (!ipHost && type == SAN_DNS && dnsMatches(value, wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The names a certificate speaks for, for a log line that says why it was refused. */
    static List<String> namesOf(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    names.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable alternative names)");
        }
        if (names.isEmpty()) {
            names.add("CN=" + commonName(cert));
        }
        return names;
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern == null) {
            return false;
        }
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(p.substring(1));
        }
        return p.equals(host);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // Both are literals, so no lookup happens; this compares IPv6 spellings correctly.
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
