package io.paddock.server.peer;

/**
 * Where a server of the ensemble listens: {@code server.id=host:quorumPort:electionPort}. The host
 * is kept as a name and resolved again on every connection attempt, so a peer that moved to a new
 * IP is found again.
 */
public record PeerAddress(long id, String host, int quorumPort, int electionPort) {
    public PeerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("server." + id + " needs a host");
        }
        if (quorumPort < 1 || quorumPort > 65535 || electionPort < 1 || electionPort > 65535) {
            throw new IllegalArgumentException("server." + id + " ports must be in 1..65535, got "
                    + quorumPort + " and " + electionPort);
        }
    }

    int port(PortKind kind) {
        return kind == PortKind.QUORUM ? quorumPort : electionPort;
    }
}
