package io.paddock.server.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Quorums as sets: a majority of voters, and a majority of both the old and the new voters. */
class QuorumTest {
    private static final Quorum.Majority THREE = Quorum.Majority.of(Set.of(1L, 2L, 3L));
    private static final Quorum.Majority FIVE = Quorum.Majority.of(Set.of(1L, 2L, 3L, 4L, 5L));

    @Test
    void aMajorityCountsOnlyItsVoters() {
        assertTrue(THREE.isQuorum(Set.of(1L, 3L)));
        assertFalse(THREE.isQuorum(Set.of(1L, 4L, 5L, 6L)), "observers and strangers do not count");
        assertFalse(Quorum.Majority.of(Set.of(1L, 2L, 3L, 4L)).isQuorum(Set.of(1L, 2L)), "half is not a majority");
        assertTrue(Quorum.Majority.of(Set.of(7L)).isQuorum(Set.of(7L)));
        assertThrows(IllegalArgumentException.class, () -> Quorum.Majority.of(Set.of()));
    }

    @Test
    void theCommitPointIsTheHighestValueAMajorityReached() {
        assertEquals(20, THREE.highestAgreed(Map.of(1L, 30L, 2L, 20L, 3L, 10L)));
        assertEquals(10, THREE.highestAgreed(Map.of(1L, 30L, 3L, 10L, 9L, 99L)), "a stranger's value is ignored");
        assertEquals(Long.MIN_VALUE, THREE.highestAgreed(Map.of(1L, 30L, 9L, 99L)));
    }

    @Test
    void aJointQuorumNeedsAMajorityOfEachPart() {
        // Growing from {1,2,3} to {1,...,5}: {1,2} is a majority of the old part only.
        Quorum joint = new Quorum.Joint(THREE, FIVE);
        assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), joint.voters());
        assertFalse(joint.isQuorum(Set.of(1L, 2L)));
        assertFalse(joint.isQuorum(Set.of(3L, 4L, 5L)), "a majority of the new part only");
        assertTrue(joint.isQuorum(Set.of(1L, 2L, 4L)));
        // The old part reached 30 (1 and 2); the new part only 20 (1, 2 and 3).
        assertEquals(20, joint.highestAgreed(Map.of(1L, 30L, 2L, 30L, 3L, 20L, 4L, 5L, 5L, 5L)));
    }
}
