package io.paddock.server.peer;

/**
 * How connections between servers are authenticated: TLS, SASL, both, or neither (null parts).
 * With neither, anyone who can reach the quorum and election ports can speak for any server id,
 * as with Apache ZooKeeper's default.
 */
public record PeerSecurity(PeerTls tls, PeerSasl sasl) {
    public static final PeerSecurity NONE = new PeerSecurity(null, null);

    /** Whether a dialling server must prove who it is before anything it sends is believed. */
    public boolean authenticates() {
        return (tls != null) || (sasl != null && sasl.serverRequires());
    }
}
