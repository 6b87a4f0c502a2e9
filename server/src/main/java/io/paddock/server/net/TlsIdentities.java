package io.paddock.server.net;

import io.paddock.protocol.Id;
import java.util.List;

/** A pipeline event: the identities a finished TLS handshake proved (x509, and super when configured). */
record TlsIdentities(List<Id> ids) {
    TlsIdentities {
        ids = List.copyOf(ids);
    }
}
