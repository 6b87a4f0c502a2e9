package io.paddock.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM files into in-memory key stores, as Apache ZooKeeper accepts them: a key store file
 * holds a PKCS#8 private key (plain, or encrypted with the store password) and its certificate
 * chain; a trust store file holds certificates. The JDK does the decoding and the decryption;
 * this class only finds the blocks.
 */
final class PemStores {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "DSA", "RSASSA-PSS"};

    private PemStores() {
    }

    static KeyStore keyStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        PrivateKey key = null;
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> key = privateKey(new PKCS8EncodedKeySpec(der));
                case "ENCRYPTED PRIVATE KEY" -> key = privateKey(decrypt(der, password));
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new GeneralSecurityException("the key is in the "
                        + m.group(1) + " form; convert it to PKCS#8 (openssl pkcs8 -topk8)");
                default -> { }
            }
        }
        List<Certificate> chain = certificates(text);
        if (key == null) {
            throw new GeneralSecurityException("no PRIVATE KEY block");
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block");
        }
        KeyStore store = emptyStore();
        store.setKeyEntry("key", key, password, chain.toArray(new Certificate[0]));
        return store;
    }

    static KeyStore trustStore(Path file) throws IOException, GeneralSecurityException {
        List<Certificate> certs = certificates(Files.readString(file, StandardCharsets.US_ASCII));
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block");
        }
        KeyStore store = emptyStore();
        for (int i = 0; i < certs.size(); i++) {
            store.setCertificateEntry("cert-" + i, certs.get(i));
        }
        return store;
    }

    private static List<Certificate> certificates(String text) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                out.add(factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        }
        return out;
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, char[] password) throws IOException, GeneralSecurityException {
        if (password.length == 0) {
            throw new GeneralSecurityException("the private key is encrypted and no password is given");
        }
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        AlgorithmParameters params = info.getAlgParameters();
        // OpenSSL writes PBES2; the JDK names the actual scheme (e.g. PBEWithHmacSHA256AndAES_256)
        // only through the parameters.
        String algorithm = info.getAlgName().equals("PBES2") && params != null ? params.toString() : info.getAlgName();
        SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), params);
        return info.getKeySpec(cipher);
    }

    private static PrivateKey privateKey(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // not this algorithm; try the next
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm");
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
