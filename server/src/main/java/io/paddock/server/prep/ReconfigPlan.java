package io.paddock.server.prep;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.ReconfigRequest;
import io.paddock.server.config.DynamicConfig;
import io.paddock.server.config.PeerSpec;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The membership a reconfig request asks for, worked out against the current one as Apache
 * ZooKeeper's leader does: incrementally (servers joining, ids leaving) or as a whole new member
 * list, with Apache's errors for a stale {@code fromConfig} version, a malformed server, and too
 * few voters. Pure: whether a quorum of the new voters is connected and synced, whether a change
 * is already under way, and the ACL of {@code /zookeeper/config} are the leader's checks.
 */
public final class ReconfigPlan {
    private ReconfigPlan() {
    }

    /** What the request comes to. */
    public sealed interface Outcome permits Members, Refused {
    }

    /** The new membership (its version is the zxid the change will get). */
    public record Members(List<PeerSpec> members) implements Outcome {
        public Members {
            members = List.copyOf(members);
        }

        /** How many of them vote. */
        public long voters() {
            return members.stream().filter(PeerSpec::voter).count();
        }
    }

    /** The error the client gets, and why (for the log). */
    public record Refused(ErrorCode code, String why) implements Outcome {
    }

    /**
     * The membership {@code request} asks for, from {@code current}. With {@code standaloneEnabled}
     * (Apache's default) a membership needs at least two voters, since one would run standalone.
     */
    public static Outcome plan(DynamicConfig current, ReconfigRequest request, boolean standaloneEnabled) {
        long from = request.curConfigId();
        if (from != -1 && from != current.version()) {
            return new Refused(ErrorCode.BAD_VERSION, "reconfiguration from version " + Long.toHexString(from)
                    + " failed: the current version is " + Long.toHexString(current.version()));
        }
        Outcome next;
        try {
            next = request.newMembers() != null ? whole(request.newMembers()) : incremental(current, request);
        } catch (IllegalArgumentException e) {
            return new Refused(ErrorCode.BAD_ARGUMENTS, e.getMessage());
        }
        if (next instanceof Members m) {
            if (standaloneEnabled && m.voters() < 2) {
                return new Refused(ErrorCode.BAD_ARGUMENTS,
                        "Reconfig failed - new configuration must include at least 2 followers");
            }
            if (m.voters() < 1) {
                return new Refused(ErrorCode.BAD_ARGUMENTS,
                        "Reconfig failed - new configuration must include at least 1 follower");
            }
        }
        return next;
    }

    /** A whole member list: {@code server.N=...} entries separated by commas or new lines. */
    private static Outcome whole(String text) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(text.replace(',', '\n')));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the new members: " + e.getMessage());
        }
        TreeMap<Long, PeerSpec> members = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            String k = key.trim();
            if (k.equals("version")) {
                continue; // a copy of getConfig's text may carry it; the change sets its own
            }
            if (k.startsWith("group.") || k.startsWith("weight.")) {
                throw new IllegalArgumentException("hierarchical quorums (" + k + ") are not supported");
            }
            if (!k.startsWith("server.")) {
                throw new IllegalArgumentException("unrecognised parameter " + k);
            }
            long id = id(k.substring("server.".length()));
            members.put(id, PeerSpec.parse(id, props.getProperty(key)));
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("the new member list names no server");
        }
        checkDistinctAddresses(members);
        return new Members(new ArrayList<>(members.values()));
    }

    /** Ids leaving, then {@code server.N=host:port:port[:role];[address:]clientPort} joining (or replacing). */
    private static Outcome incremental(DynamicConfig current, ReconfigRequest request) {
        TreeMap<Long, PeerSpec> next = new TreeMap<>();
        for (PeerSpec p : current.members()) {
            next.put(p.id(), p);
        }
        if (request.leavingServers() != null) {
            for (String leaving : split(request.leavingServers())) {
                next.remove(id(leaving));
            }
        }
        if (request.joiningServers() != null) {
            for (String joiner : split(request.joiningServers())) {
                String[] parts = joiner.split("=");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("Wrong format of server string");
                }
                String name = parts[0].trim();
                long id = id(name.substring(name.lastIndexOf('.') + 1));
                PeerSpec spec = PeerSpec.parse(id, parts[1]);
                if (spec.clientPort() < 0) {
                    throw new IllegalArgumentException(
                            "Wrong format of server string - each server should have 3 ports specified");
                }
                next.put(id, spec);
                checkDistinctAddresses(next);
            }
        }
        return new Members(new ArrayList<>(next.values()));
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.trim().isEmpty()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static long id(String text) {
        try {
            long id = Long.parseLong(text.trim());
            if (id < PeerSpec.MIN_ID || id > PeerSpec.MAX_ID) {
                throw new IllegalArgumentException("server id " + id + " is outside " + PeerSpec.MIN_ID + ".."
                        + PeerSpec.MAX_ID);
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a server id");
        }
    }

    /** No two members may share a quorum or election address (Apache: "Reconfiguration failed"). */
    private static void checkDistinctAddresses(TreeMap<Long, PeerSpec> members) {
        List<PeerSpec> all = new ArrayList<>(members.values());
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                PeerSpec a = all.get(i);
                PeerSpec b = all.get(j);
                if (a.host().equalsIgnoreCase(b.host()) && (a.quorumPort() == b.quorumPort()
                        || a.electionPort() == b.electionPort() || a.quorumPort() == b.electionPort()
                        || a.electionPort() == b.quorumPort())) {
                    throw new IllegalArgumentException("Reconfiguration failed: servers " + a.id() + " and " + b.id()
                            + " share an address (" + a.configValue() + ", " + b.configValue() + ")");
                }
            }
        }
    }
}
