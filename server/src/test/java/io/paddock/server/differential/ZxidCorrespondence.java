package io.paddock.server.differential;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks that the zxids revealed by server A and by server B are related by one strictly
 * increasing bijection.
 *
 * <p>Why order and not value: the two servers need not number transactions alike (Apache
 * spends a zxid on session creation and on every failed write, another implementation may
 * not), but every zxid a client can see in a Stat belongs to a successful transaction, and
 * both servers must apply the same successful transactions in the same order. So each pair
 * (zxid on A, zxid on B) observed at the same place of the same Stat is recorded; a pair is
 * accepted only if it is consistent with every earlier pair: the same A zxid always meets
 * the same B zxid (and vice versa), and if a1 &lt; a2 then b1 &lt; b2. This captures every
 * relation between fields of one Stat and with all earlier Stats, without ranks that shift
 * as older zxids are revealed late.
 */
final class ZxidCorrespondence {
    private final TreeMap<Long, Long> aToB = new TreeMap<>();
    private final TreeMap<Long, Long> bToA = new TreeMap<>();

    /** Records that {@code a} on server A corresponds to {@code b} on server B; explains a conflict. */
    Optional<String> pair(String field, long a, long b) {
        Long knownB = aToB.get(a);
        if (knownB != null) {
            return knownB == b ? Optional.empty()
                    : conflict(field, a, b, "A's " + hex(a) + " was earlier seen together with B's " + hex(knownB));
        }
        Long knownA = bToA.get(b);
        if (knownA != null) {
            return conflict(field, a, b, "B's " + hex(b) + " was earlier seen together with A's " + hex(knownA)
                    + " (one transaction on B, two on A)");
        }
        Map.Entry<Long, Long> below = aToB.lowerEntry(a);
        if (below != null && below.getValue() >= b) {
            return conflict(field, a, b, "A has " + hex(below.getKey()) + " < " + hex(a) + " but B has "
                    + hex(below.getValue()) + " >= " + hex(b));
        }
        Map.Entry<Long, Long> above = aToB.higherEntry(a);
        if (above != null && above.getValue() <= b) {
            return conflict(field, a, b, "A has " + hex(above.getKey()) + " > " + hex(a) + " but B has "
                    + hex(above.getValue()) + " <= " + hex(b));
        }
        aToB.put(a, b);
        bToA.put(b, a);
        return Optional.empty();
    }

    private static Optional<String> conflict(String field, long a, long b, String why) {
        return Optional.of("zxid order differs at " + field + " (A " + hex(a) + ", B " + hex(b) + "): " + why);
    }

    private static String hex(long z) {
        return "0x" + Long.toHexString(z);
    }
}
