package io.paddock.server.config;

import java.util.Locale;

/**
 * One {@code server.N} line of an ensemble's configuration:
 * {@code host:quorumPort:electionPort[:participant|:observer][;[clientAddress:]clientPort]}.
 *
 * <p>The host is kept as written (an IPv6 literal without its brackets) and is not resolved here:
 * the peer transport resolves it again on every connection attempt, so a peer whose address
 * changes is found once DNS says so.
 *
 * @param id            the server id, 1..255
 * @param host          host name, IPv4 or IPv6 literal (no brackets)
 * @param quorumPort    port the leader listens on for followers and observers (Apache's 2888)
 * @param electionPort  port for leader election (Apache's 3888)
 * @param observer      true for a non-voting observer
 * @param clientAddress the client address of the {@code ;} part, or null when it names none
 * @param clientPort    the client port of the {@code ;} part, or -1 when there is none
 */
public record PeerSpec(long id, String host, int quorumPort, int electionPort, boolean observer,
        String clientAddress, int clientPort) {

    /** The smallest and largest server ids (the id is a byte of every session id). */
    public static final long MIN_ID = 1;
    public static final long MAX_ID = 255;

    public PeerSpec {
        if (id < MIN_ID || id > MAX_ID) {
            throw new IllegalArgumentException("server id " + id + " is outside " + MIN_ID + ".." + MAX_ID);
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("server." + id + " has no host");
        }
        if (quorumPort < 1 || quorumPort > 65535 || electionPort < 1 || electionPort > 65535) {
            throw new IllegalArgumentException("server." + id + " ports must be between 1 and 65535");
        }
        if (clientPort < -1 || clientPort > 65535) {
            throw new IllegalArgumentException("server." + id + " client port " + clientPort + " is out of range");
        }
        if (clientAddress != null && clientPort < 0) {
            throw new IllegalArgumentException("server." + id + " has a client address but no client port");
        }
    }

    private static final String FORM =
            "expected host:quorumPort:electionPort[:participant|:observer][;[clientAddress:]clientPort]";

    /**
     * Parses the value of a {@code server.N} line. Host names are not resolved.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static PeerSpec parse(long id, String value) {
        String text = value == null ? "" : value.trim();
        String[] serverAndClient = text.split(";", -1);
        if (serverAndClient.length > 2) {
            throw new IllegalArgumentException("more than one ';'; " + FORM);
        }
        String serverPart = serverAndClient[0].trim();
        if (serverPart.indexOf('|') >= 0) {
            throw new IllegalArgumentException("several addresses for one server (a|b) are not supported");
        }
        String[] parts = splitHost(serverPart);
        if (parts.length < 3) {
            throw new IllegalArgumentException("missing " + (parts.length < 2 ? "quorum and election ports" : "election port")
                    + "; " + FORM);
        }
        if (parts.length > 4) {
            throw new IllegalArgumentException("too many ':'-separated parts (an IPv6 address must be in [brackets]); "
                    + FORM);
        }
        String host = parts[0];
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host; " + FORM);
        }
        int quorumPort = port("quorum port", parts[1], 1);
        int electionPort = port("election port", parts[2], 1);
        if (quorumPort == electionPort) {
            throw new IllegalArgumentException("the quorum port and the election port must differ");
        }
        boolean observer = false;
        if (parts.length == 4) {
            observer = switch (parts[3].toLowerCase(Locale.ROOT)) {
                case "observer" -> true;
                case "participant" -> false;
                default -> throw new IllegalArgumentException("unknown server type '" + parts[3]
                        + "'; expected participant or observer");
            };
        }
        String clientAddress = null;
        int clientPort = -1;
        if (serverAndClient.length == 2) {
            String clientPart = serverAndClient[1].trim();
            if (clientPart.isEmpty()) {
                throw new IllegalArgumentException("nothing after ';'; " + FORM);
            }
            String[] client = splitHost(clientPart);
            if (client.length > 2) {
                throw new IllegalArgumentException("the client part '" + clientPart
                        + "' must be port or address:port (an IPv6 address in [brackets])");
            }
            if (client.length == 2) {
                clientAddress = client[0];
                if (clientAddress.isEmpty()) {
                    throw new IllegalArgumentException("missing client address before ':' in '" + clientPart + "'");
                }
            }
            clientPort = port("client port", client[client.length - 1], 0);
        }
        return new PeerSpec(id, host, quorumPort, electionPort, observer, clientAddress, clientPort);
    }

    /** Splits at ':', keeping a leading {@code [IPv6]} literal whole (without its brackets). */
    private static String[] splitHost(String s) {
        if (!s.startsWith("[")) {
            return splitTrimmed(s);
        }
        int close = s.indexOf(']');
        if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
            throw new IllegalArgumentException("'" + s + "' starts with '[' but has no matching ']' followed by ':'");
        }
        String host = s.substring(1, close).trim();
        if (close + 1 >= s.length()) {
            return new String[] {host};
        }
        String[] rest = splitTrimmed(s.substring(close + 2));
        String[] parts = new String[rest.length + 1];
        parts[0] = host;
        System.arraycopy(rest, 0, parts, 1, rest.length);
        return parts;
    }

    private static String[] splitTrimmed(String s) {
        String[] parts = s.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }

    private static int port(String what, String text, int min) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < min || port > 65535) {
                throw new IllegalArgumentException("the " + what + " " + port + " is outside " + min + "..65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + what + " '" + text + "' is not a number");
        }
    }

    /** Whether this server votes (a participant). */
    public boolean voter() {
        return !observer;
    }

    /** The line's value in the form Apache's {@code conf} output prints it, e.g. {@code 10.0.0.1:2888:3888:participant;0.0.0.0:2181}. */
    public String configValue() {
        StringBuilder sb = new StringBuilder();
        sb.append(bracketed(host)).append(':').append(quorumPort).append(':').append(electionPort)
                .append(observer ? ":observer" : ":participant");
        if (clientPort >= 0) {
            sb.append(';').append(bracketed(clientAddress == null ? "0.0.0.0" : clientAddress))
                    .append(':').append(clientPort);
        }
        return sb.toString();
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
