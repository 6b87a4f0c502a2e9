package io.paddock.server.tls;

import io.paddock.server.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Objects;

/**
 * One key or trust store: its file, password and format, and the zoo.cfg keys they came from,
 * so that every failure to load it names the key and the file.
 *
 * @param locationKey the key that named the file, e.g. {@code ssl.keyStore.location}
 * @param location    the file
 * @param password    its password; empty when none was given
 * @param type        its format, given or inferred from the file name
 */
public record StoreFile(String locationKey, Path location, String password, StoreType type) {

    public StoreFile {
        Objects.requireNonNull(locationKey);
        Objects.requireNonNull(location);
        password = password == null ? "" : password;
        Objects.requireNonNull(type);
    }

    /** Loads the store as a key store (private key and chain). */
    KeyStore loadKeys() {
        return load(true);
    }

    /** Loads the store as a trust store (certificates). */
    KeyStore loadTrust() {
        return load(false);
    }

    /** The file's modification time and size: what a reload compares. */
    Object stamp() {
        try {
            FileTime time = Files.getLastModifiedTime(location);
            return time.toMillis() + ":" + Files.size(location);
        } catch (IOException e) {
            return "missing";
        }
    }

    private KeyStore load(boolean keys) {
        try {
            if (type == StoreType.PEM) {
                return keys ? PemStores.keyStore(location, password.toCharArray()) : PemStores.trustStore(location);
            }
            KeyStore store = KeyStore.getInstance(type.name());
            try (InputStream in = Files.newInputStream(location)) {
                store.load(in, password.toCharArray());
            }
            return store;
        } catch (NoSuchFileException e) {
            throw failure("no such file", e);
        } catch (IOException e) {
            // A wrong password surfaces as an IOException whose cause is UnrecoverableKeyException.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw failure("wrong password (or a damaged file)", e);
            }
            throw failure(e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw failure(e.getMessage(), e);
        }
    }

    /** A failure to load or use this store: names the key, the file and the format. */
    ConfigException failure(String why, Exception cause) {
        return new ConfigException("cannot load " + locationKey + "=" + location + " (" + type + "): " + why, cause);
    }

    @Override
    public String toString() {
        return locationKey + "=" + location + " (" + type + ")";
    }
}
