package io.paddock.server.differential;

import io.paddock.server.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the two servers under comparison and the client sessions open on it. Sessions are
 * numbered in opening order, identically on both sides, so that ephemeral owners can be
 * named without the (server-specific) session ids.
 */
final class Side implements AutoCloseable {
    private final TestServer server;
    private final Client[] clients;
    private final Map<Long, Integer> sessionNumbers = new HashMap<>();

    Side(TestServer server, int slots) {
        this.server = server;
        this.clients = new Client[slots];
    }

    int slots() {
        return clients.length;
    }

    Client client(int slot) {
        return clients[slot];
    }

    void open(int slot, int sessionNumber, List<String> credentials) throws Exception {
        Client c = Client.open(server.connectString(), sessionNumber, credentials);
        sessionNumbers.put(c.zk().getSessionId(), sessionNumber);
        clients[slot] = c;
    }

    void close(int slot) throws InterruptedException {
        Client c = clients[slot];
        clients[slot] = null;
        if (c != null) {
            c.close();
        }
    }

    /** Names a Stat's ephemeralOwner independently of the server: "0", "s4" or "s4(self)". */
    String ownerName(long owner, Client caller) {
        if (owner == 0) {
            return "0";
        }
        Integer n = sessionNumbers.get(owner);
        if (n == null) {
            return "unknown";
        }
        return "s" + n + (n == caller.sessionNumber() ? "(self)" : "");
    }

    @Override
    public void close() throws InterruptedException {
        for (int slot = 0; slot < clients.length; slot++) {
            close(slot);
        }
    }
}
