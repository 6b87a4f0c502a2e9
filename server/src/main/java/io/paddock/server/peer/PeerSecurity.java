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

    /** For the start-up log: how peers prove who they are. */
    public String describe() {
        if (!authenticates() && sasl == null) {
            return "unauthenticated: any host that reaches the quorum and election ports can speak for any server"
                    + " (set sslQuorum or quorum.auth.* to close them)";
        }
        String how = (tls != null ? "mutual TLS" + (tls.hostnameVerification() ? " (certificates must name their server)"
                : " (any trusted certificate may claim any server)") : "")
                + (tls != null && sasl != null ? " and " : "")
                + (sasl != null ? (sasl.mechanism() instanceof PeerSasl.Gssapi k ? "Kerberos as "
                + k.learner().principal().getName() + ", addressing servers as " + k.servicePrincipal()
                + " (a server's principal must name its own host)" : "SASL DIGEST-MD5") + (sasl.serverRequires() ? "" : " (not required: a server that"
                + " does not authenticate is let in)") : "");
        return "authenticated by " + how;
    }
}
