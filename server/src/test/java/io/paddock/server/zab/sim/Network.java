package io.paddock.server.zab.sim;

import java.util.Arrays;

/**
 * Who can reach whom. A partition puts servers in groups; only servers of a group talk. Each
 * directed channel has a generation: breaking the connection (partition, crash, reset) bumps it,
 * and a message of an older generation is lost when it arrives, as on a reset TCP connection.
 * Channels are FIFO (as TCP) except for deliberately reordered messages.
 */
final class Network {
    private final int[] group;
    private final long[][] gen;
    private final long[][] lastArrival;
    long partition;

    Network(int servers) {
        group = new int[servers + 1];
        gen = new long[servers + 1][servers + 1];
        lastArrival = new long[servers + 1][servers + 1];
    }

    boolean connected(int a, int b) {
        return group[a] == group[b];
    }

    boolean partitioned() {
        for (int g : group) {
            if (g != 0) {
                return true;
            }
        }
        return false;
    }

    void setGroups(int[] groups) {
        System.arraycopy(groups, 0, group, 0, group.length);
        partition++;
    }

    void heal() {
        Arrays.fill(group, 0);
    }

    long gen(int from, int to) {
        return gen[from][to];
    }

    void reset(int from, int to) {
        gen[from][to]++;
    }

    /** When a message sent now with this delay arrives, FIFO after what is already on its way unless reordered. */
    long arrival(int from, int to, long now, long delay, boolean reorder) {
        long at = now + delay;
        if (reorder) {
            return at;
        }
        at = Math.max(at, lastArrival[from][to]);
        lastArrival[from][to] = at;
        return at;
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        int max = Arrays.stream(group).max().orElse(0);
        for (int g = 0; g <= max; g++) {
            StringBuilder part = new StringBuilder();
            for (int i = 1; i < group.length; i++) {
                if (group[i] == g) {
                    part.append(part.length() == 0 ? "" : ",").append(i);
                }
            }
            if (part.length() > 0) {
                b.append(b.length() == 0 ? "{" : " | {").append(part).append('}');
            }
        }
        return b.toString();
    }
}
