package io.paddock.server.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a core does with peer input no real server sends. The transport refuses what is out of
 * range; these are in range but name a server that cannot lead, and must change nothing.
 */
class ForgedInputTest {
    private static ZabCore looking(long id) {
        ZabCore core = new ZabCore(new ZabConfig(id, Set.of(1L, 2L, 3L), Set.of(4L), 100, 50, 10, 4, 2, 100), id, 1, 1,
                0, Zxid.make(1, 5), List.of());
        core.start();
        return core;
    }

    private static List<Msg.Vote> votesSent(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Send).map(a -> ((Action.Send) a).msg())
                .filter(m -> m instanceof Msg.Vote).map(m -> (Msg.Vote) m).toList();
    }

    @Test
    void aVoteForAnObserverOrAnUnknownServerIsNotAdopted() {
        ZabCore core = looking(1);
        for (long forged : new long[] {4, 99, -1}) {
            // Far ahead in history and round: a vote any server would adopt, were its leader able to lead.
            List<Action> out = core.step(new Input.Receive(2, new Msg.Vote(forged, Zxid.make(50, 1), 50, 1000,
                    ServerState.LOOKING)));
            assertTrue(votesSent(out).stream().noneMatch(v -> v.leader() == forged), out.toString());
        }
        List<Action> out = core.step(new Input.Tick());
        for (int i = 0; i < 10 && votesSent(out).isEmpty(); i++) {
            out = core.step(new Input.Tick());
        }
        assertTrue(votesSent(out).stream().allMatch(v -> v.leader() == 1), "still backs itself: " + out);
        assertEquals(ServerState.LOOKING, core.state());
    }

    @Test
    void aLeaderClaimFromAnObserverIsNotFollowed() {
        ZabCore core = looking(1);
        core.step(new Input.Receive(4, new Msg.Vote(4, Zxid.make(50, 1), 50, 1, ServerState.LEADING)));
        assertEquals(ServerState.LOOKING, core.state());
        // The same claim from a voter is followed, as before.
        core.step(new Input.Receive(3, new Msg.Vote(3, Zxid.make(1, 5), 1, 1, ServerState.LEADING)));
        assertEquals(ServerState.FOLLOWING, core.state());
        assertEquals(3, core.leader());
    }
}
