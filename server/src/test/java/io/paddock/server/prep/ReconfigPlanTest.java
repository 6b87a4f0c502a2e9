package io.paddock.server.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.ReconfigRequest;
import io.paddock.server.config.DynamicConfig;
import io.paddock.server.config.PeerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Apache's reconfig arithmetic: joining, leaving, a whole new list, and the errors a client gets. */
class ReconfigPlanTest {
    private static final DynamicConfig THREE = new DynamicConfig(List.of(
            PeerSpec.parse(1, "h:2001:3001:participant;2181"),
            PeerSpec.parse(2, "h:2002:3002:participant;2182"),
            PeerSpec.parse(3, "h:2003:3003:participant;2183")), 0x100000000L);

    private static String text(ReconfigPlan.Outcome o) {
        ReconfigPlan.Members m = assertInstanceOf(ReconfigPlan.Members.class, o, o::toString);
        return new DynamicConfig(m.members(), 0).text();
    }

    private static ReconfigPlan.Refused refused(ReconfigPlan.Outcome o, ErrorCode code) {
        ReconfigPlan.Refused r = assertInstanceOf(ReconfigPlan.Refused.class, o, o::toString);
        assertEquals(code, r.code(), r.why());
        return r;
    }

    private static ReconfigPlan.Outcome plan(String joining, String leaving, String members, long from) {
        return ReconfigPlan.plan(THREE, new ReconfigRequest(joining, leaving, members, from), true);
    }

    @Test
    void serversJoinAndLeave() {
        assertEquals("""
                server.1=h:2001:3001:participant;0.0.0.0:2181
                server.3=h:2003:3003:participant;0.0.0.0:2183
                server.4=h:2004:3004:observer;0.0.0.0:2184
                server.5=h:2005:3005:participant;10.0.0.5:2185
                version=0""", text(plan("server.4=h:2004:3004:observer;2184, server.5=h:2005:3005;10.0.0.5:2185", "2",
                null, -1)));
        // A joining line for a member replaces it: a voter becomes an observer.
        assertTrue(text(plan("server.3=h:2003:3003:observer;2183", null, null, 0x100000000L))
                .contains("server.3=h:2003:3003:observer;0.0.0.0:2183"));
    }

    @Test
    void aWholeNewListReplacesTheMembers() {
        assertEquals("""
                server.1=h:2001:3001:participant;0.0.0.0:2181
                server.2=h:2002:3002:participant;0.0.0.0:2182
                version=0""", text(plan(null, null,
                "server.1=h:2001:3001:participant;2181,server.2=h:2002:3002:participant;2182\nversion=100000000", -1)));
        refused(plan(null, null, "group.1=1:2:3", -1), ErrorCode.BAD_ARGUMENTS);
        refused(plan(null, null, "tickTime=2000", -1), ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void apachesErrors() {
        refused(plan(null, "2", null, 0x5), ErrorCode.BAD_VERSION);
        refused(plan("server.4=h:2004:3004", null, null, -1), ErrorCode.BAD_ARGUMENTS); // no client port
        refused(plan("server.4", null, null, -1), ErrorCode.BAD_ARGUMENTS);
        refused(plan("server.4=h:2001:3004;2184", null, null, -1), ErrorCode.BAD_ARGUMENTS); // 1's quorum port
        refused(plan(null, "two", null, -1), ErrorCode.BAD_ARGUMENTS);
        refused(plan("server.999=h:2009:3009;2189", null, null, -1), ErrorCode.BAD_ARGUMENTS);
        ReconfigPlan.Refused tooFew = refused(plan(null, "1,2", null, -1), ErrorCode.BAD_ARGUMENTS);
        assertEquals("Reconfig failed - new configuration must include at least 2 followers", tooFew.why());
        // Without standaloneEnabled, one voter may remain.
        assertInstanceOf(ReconfigPlan.Members.class,
                ReconfigPlan.plan(THREE, new ReconfigRequest(null, "1,2", null, -1), false));
    }
}
