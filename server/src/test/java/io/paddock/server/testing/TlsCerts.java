package io.paddock.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the JDK's {@code keytool}, in a directory of the test's choosing:
 * a certificate authority, and certificates it signs for servers and clients, each valid for
 * 127.0.0.1 and localhost (subject alternative names) and usable both as a TLS server and
 * client certificate. Every store comes as JKS, PKCS12 and PEM (a PEM key store holds the
 * PKCS#8 key, the certificate and the CA's). All passwords are {@link #PASSWORD}.
 *
 * <pre>
 * TlsCerts ca = TlsCerts.authority(dir, "test-ca");
 * TlsCerts.Issued server = ca.issue("server", "CN=localhost,OU=Paddock,O=Test");
 * cfg.put("ssl.keyStore.location", server.store(TlsCerts.Format.PKCS12).toString());
 * cfg.put("ssl.trustStore.location", ca.trustStore(TlsCerts.Format.PKCS12).toString());
 * </pre>
 */
public final class TlsCerts {
    /** The password of every store and key. */
    public static final String PASSWORD = "paddock-test";

    /** A store format, with the file extension Apache infers it from. */
    public enum Format {
        JKS("jks"), PKCS12("p12"), PEM("pem");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    /**
     * A signed certificate and its key.
     *
     * @param name    the file name stem in the directory
     * @param subject the certificate's subject as {@code X500Principal.getName()} renders it (an x509 identity)
     * @param dir     the directory its stores are in
     */
    public record Issued(String name, String subject, Path dir) {
        /** The key store holding this key and its chain, in the given format. */
        public Path store(Format format) {
            return dir.resolve(name + "." + format.extension());
        }

        /** A PEM key store whose PKCS#8 key is encrypted with {@link #PASSWORD} (PBES2, AES-256; made by openssl). */
        public Path encryptedPem() {
            Path file = dir.resolve(name + "-encrypted.pem");
            if (!Files.exists(file)) {
                // OpenSSL's usual encrypted key (PBES2, AES-256), which the JDK cannot write.
                String key = run(List.of("openssl", "pkcs8", "-topk8", "-in", store(Format.PEM).toString(), "-v2",
                        "aes-256-cbc", "-passout", "pass:" + PASSWORD));
                try {
                    Files.writeString(file, key + Files.readString(dir.resolve(name + ".crt.pem")),
                            StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return file;
        }
    }

    private final Path dir;
    private final String name;

    private TlsCerts(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** Makes a new certificate authority named {@code name} (its files are {@code <name>.*} in {@code dir}). */
    public static TlsCerts authority(Path dir, String name) {
        TlsCerts ca = new TlsCerts(dir, name);
        ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=" + name + ",O=Paddock Test", "-ext", "bc:c", "-keystore", ca.file("ca.p12"),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        ca.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.file("ca.p12"), "-storepass", PASSWORD,
                "-file", ca.file("pem"));
        for (Format f : new Format[] {Format.JKS, Format.PKCS12}) {
            ca.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.file("pem"), "-keystore",
                    ca.file(f.extension()), "-storetype", f.name(), "-storepass", PASSWORD);
        }
        return ca;
    }

    /** The trust store holding only this authority's certificate. */
    public Path trustStore(Format format) {
        return dir.resolve(name + "." + format.extension());
    }

    /** Issues a certificate for {@code subject} (e.g. {@code CN=client1,O=Test}) signed by this authority. */
    public Issued issue(String certName, String subject) {
        return issue(certName, subject, "ip:127.0.0.1,dns:localhost");
    }

    /**
     * Issues a certificate for {@code subject} naming {@code alternativeNames} (keytool's form, e.g.
     * {@code ip:127.0.0.2,dns:server2}), signed by this authority.
     */
    public Issued issue(String certName, String subject, String alternativeNames) {
        Path p12 = dir.resolve(certName + ".p12");
        Path csr = dir.resolve(certName + ".csr");
        Path crt = dir.resolve(certName + ".crt");
        keytool("-genkeypair", "-alias", certName, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", subject, "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD);
        keytool("-certreq", "-alias", certName, "-keystore", p12.toString(), "-storepass", PASSWORD,
                "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", file("ca.p12"), "-storepass", PASSWORD, "-infile",
                csr.toString(), "-outfile", crt.toString(), "-rfc", "-validity", "30",
                "-ext", "san=" + alternativeNames, "-ext", "eku=serverAuth,clientAuth");
        // The authority first, so that keytool can link the signed reply to it.
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", file("pem"), "-keystore", p12.toString(),
                "-storepass", PASSWORD);
        keytool("-importcert", "-alias", certName, "-file", crt.toString(), "-keystore", p12.toString(),
                "-storepass", PASSWORD);
        keytool("-importkeystore", "-srckeystore", p12.toString(), "-srcstoretype", "PKCS12", "-srcstorepass",
                PASSWORD, "-srcalias", certName, "-destkeystore", dir.resolve(certName + ".jks").toString(),
                "-deststoretype", "JKS", "-deststorepass", PASSWORD, "-destkeypass", PASSWORD);
        String rendered = writePem(p12, certName, dir.resolve(certName + ".pem"));
        return new Issued(certName, rendered, dir);
    }

    /** Writes the key (PKCS#8) and chain of {@code alias} as PEM; returns the certificate's subject. */
    private static String writePem(Path p12, String alias, Path pem) {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            byte[] key = ks.getKey(alias, PASSWORD.toCharArray()).getEncoded();
            StringBuilder certs = new StringBuilder();
            Certificate[] chain = ks.getCertificateChain(alias);
            for (Certificate c : chain) {
                certs.append(block("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(pem, block("PRIVATE KEY", key) + certs, StandardCharsets.US_ASCII);
            Files.writeString(pem.resolveSibling(alias + ".crt.pem"), certs, StandardCharsets.US_ASCII);
            return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private String file(String suffix) {
        return dir.resolve(name + "." + suffix).toString();
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        run(command);
    }

    /** Runs a tool to its end (at most 60 s); returns its output, or fails with it. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("did not finish within 60 s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
