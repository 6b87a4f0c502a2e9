package io.paddock.nemesis;

import java.util.ArrayList;
import java.util.List;

/**
 * What the suite needs of the machine, checked before anything starts: root, network namespaces,
 * a bridge and veth pairs, and iptables inside a namespace. A machine that lacks one fails the run
 * with a message naming it; the suite never skips.
 */
final class Preflight {
    private Preflight() {
    }

    /** Throws naming everything missing, or returns quietly. */
    static void check() {
        List<String> missing = new ArrayList<>();
        Shell.Result id = Shell.run("id", "-u");
        if (!id.ok() || !id.output().strip().equals("0")) {
            missing.add("root (the suite creates namespaces, links and firewall rules; run it as root)");
        }
        if (!Shell.run("ip", "-V").ok()) {
            missing.add("the ip command (Debian package iproute2)");
        }
        if (!Shell.run("iptables", "--version").ok()) {
            missing.add("the iptables command (Debian package iptables; .ci/run installs it)");
        }
        if (missing.isEmpty()) {
            probe(missing);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The nemesis suite cannot run on this machine; it lacks:\n  - "
                    + String.join("\n  - ", missing));
        }
    }

    /** Creates and removes a namespace, a bridge and a veth pair, and a rule in the namespace's iptables. */
    private static void probe(List<String> missing) {
        String tag = "nmpf" + ProcessHandle.current().pid();
        String ns = tag + "-ns";
        String bridge = tag + "b";
        String veth = tag + "v";
        try {
            if (!Shell.run("ip", "netns", "add", ns).ok()) {
                missing.add("network namespaces (ip netns add failed)");
                return;
            }
            if (!Shell.run("ip", "link", "add", "name", bridge, "type", "bridge").ok()) {
                missing.add("bridges (ip link add type bridge failed)");
            }
            if (!Shell.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns).ok()) {
                missing.add("veth pairs into a namespace (ip link add type veth failed)");
            }
            Shell.Result rule = Shell.run("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s", "10.77.255.1",
                    "-j", "DROP");
            if (!rule.ok()) {
                missing.add("iptables rules inside a namespace (" + rule.output().strip() + ")");
            }
        } finally {
            Shell.run("ip", "link", "delete", bridge);
            Shell.run("ip", "link", "delete", veth);
            Shell.run("ip", "netns", "delete", ns);
        }
    }
}
