package io.paddock.server.tls;

import io.paddock.server.config.ConfigException;
import java.util.Locale;

/** The formats a key or trust store file may have, as Apache ZooKeeper names them. */
public enum StoreType {
    JKS(".jks"),
    PKCS12(".p12"),
    PEM(".pem");

    private final String extension;

    StoreType(String extension) {
        this.extension = extension;
    }

    /**
     * The type given by {@code typeKey}, or, when it is unset, the one its file name's extension
     * implies (as Apache does: .jks, .p12, .pem). {@code where} names the file for messages.
     */
    static StoreType of(String typeKey, String value, String locationKey, String location, String where) {
        if (value != null && !value.isBlank()) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            for (StoreType t : values()) {
                if (t.name().equals(v)) {
                    return t;
                }
            }
            throw new ConfigException("invalid value '" + value + "' for " + typeKey + " in " + where
                    + ": expected JKS, PKCS12 or PEM");
        }
        for (StoreType t : values()) {
            if (location.endsWith(t.extension)) {
                return t;
            }
        }
        throw new ConfigException(locationKey + "=" + location + " in " + where + ": cannot tell the store's type from"
                + " its name (.jks, .p12 or .pem); set " + typeKey);
    }
}
