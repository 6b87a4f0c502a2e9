package io.paddock.nemesis;

import io.paddock.server.ensemble.Ensemble;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the servers run: the network of {@code topology}; with {@code clocks}, under a faked clock;
 * with {@code disks}, their logs and snapshots on a small disk of their own. Clocks and disks are
 * null in the families that do not need them.
 */
record Hosts(Topology topology, Clocks clocks, Disks disks) implements Ensemble.Placement {
    @Override
    public String host(int i) {
        return topology.host(i);
    }

    @Override
    public List<String> commandPrefix(int i) {
        return topology.commandPrefix(i);
    }

    @Override
    public Map<String, String> environment(int i) {
        return clocks == null ? Map.of() : clocks.environment(i);
    }

    @Override
    public void prepare(int i, Path dataDir) throws IOException {
        if (disks != null) {
            disks.mount(i, dataDir);
        }
    }
}
