package io.paddock.nemesis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the suite needs of the machine, checked before anything starts: root, network namespaces,
 * a bridge and veth pairs, and iptables inside a namespace; for clock faults libfaketime, for disk
 * faults tmpfs mounts. A machine that lacks one fails the run with a message naming it; the suite
 * never skips.
 */
final class Preflight {
    private Preflight() {
    }

    /** Throws naming everything missing for {@code family}'s faults, or returns quietly. */
    static void check(Schedule.Family family) {
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
        if (family.kinds().stream().anyMatch(k -> k.family == Schedule.Family.CLOCKS) && Clocks.library().isEmpty()) {
            missing.add("libfaketime (Debian package faketime; .ci/run installs it): libfaketime.so.1 under /usr/lib");
        }
        if (missing.isEmpty()) {
            probe(missing);
            if (family.kinds().stream().anyMatch(k -> k.family == Schedule.Family.DISKS)) {
                probeTmpfs(missing);
            }
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

    /** Mounts and unmounts a small tmpfs, as the disk faults do for each server. */
    private static void probeTmpfs(List<String> missing) {
        Path point = null;
        try {
            point = Files.createTempDirectory("nmpf-tmpfs");
            Shell.Result mount = Shell.run("mount", "-t", "tmpfs", "-o", "size=1m", "nmpf" + ProcessHandle.current().pid()
                    + "-tmpfs", point.toString());
            if (!mount.ok()) {
                missing.add("permission to mount a tmpfs (mount -t tmpfs failed: " + mount.output().strip() + ")");
            } else if (!Shell.run("fallocate", "-l", "4096", point.resolve("probe").toString()).ok()) {
                missing.add("the fallocate command (Debian package util-linux)");
            }
        } catch (IOException e) {
            missing.add("a temporary directory (" + e.getMessage() + ")");
        } finally {
            if (point != null) {
                Shell.run("umount", point.toString());
                Shell.run("rm", "-rf", point.toString());
            }
        }
    }
}
