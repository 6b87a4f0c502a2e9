package io.paddock.server.jmx;

import io.paddock.server.config.PeerSpec;
import io.paddock.server.zab.ServerState;
import java.util.List;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Apache's bean names: domain {@code org.apache.ZooKeeperService}, then the path from the server's
 * bean down as {@code name0=...,name1=...}; e.g. {@code name0=ReplicatedServer_id1,name1=replica.1,
 * name2=Leader,name3=InMemoryDataTree}.
 */
final class Names {
    static final String DOMAIN = "org.apache.ZooKeeperService";
    static final String DATA_TREE = "InMemoryDataTree";

    private Names() {
    }

    static String standalone(int clientPort) {
        return "StandaloneServer_port" + clientPort;
    }

    static String quorum(long myId) {
        return "ReplicatedServer_id" + myId;
    }

    static String replica(long id) {
        return "replica." + id;
    }

    /** The role bean's name, or null for a member looking for a leader (Apache has none then). */
    static String role(ServerState state) {
        return switch (state) {
            case LEADING -> "Leader";
            case FOLLOWING -> "Follower";
            case OBSERVING -> "Observer";
            case LOOKING -> null;
        };
    }

    /** A replica's {@code State} attribute, as Apache words it. */
    static String state(ServerState state) {
        return switch (state) {
            case LEADING -> "leading";
            case FOLLOWING -> "following";
            case OBSERVING -> "observing";
            case LOOKING -> "leaderelection";
        };
    }

    static String learnerType(PeerSpec p) {
        return p != null && p.observer() ? "OBSERVER" : "PARTICIPANT";
    }

    static ObjectName of(List<String> path) {
        StringBuilder sb = new StringBuilder(DOMAIN).append(':');
        for (int i = 0; i < path.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("name").append(i).append('=').append(path.get(i));
        }
        try {
            return new ObjectName(sb.toString());
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a bean name: " + sb, e);
        }
    }
}
