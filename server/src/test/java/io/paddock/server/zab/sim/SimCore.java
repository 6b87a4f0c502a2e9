package io.paddock.server.zab.sim;

import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
import io.paddock.server.zab.ZabConfig;
import io.paddock.server.zab.ZabCore;
import java.util.List;

/** What the simulator drives: {@link ZabCore}, or a deliberately broken wrapper of it. */
interface SimCore {
    List<Action> start();

    List<Action> step(Input input);

    /** Builds a server's core from what it recovered from its disk. */
    interface Factory {
        SimCore create(ZabConfig config, long incarnation, long acceptedEpoch, long currentEpoch, long snapshotZxid,
                       long lastZxid, List<Entry> recentLog);
    }

    static Factory real() {
        return (config, incarnation, accepted, current, snapshotZxid, lastZxid, recent) -> {
            ZabCore core = new ZabCore(config, incarnation, accepted, current, snapshotZxid, lastZxid, recent);
            return new SimCore() {
                @Override
                public List<Action> start() {
                    return core.start();
                }

                @Override
                public List<Action> step(Input input) {
                    return core.step(input);
                }
            };
        };
    }
}
