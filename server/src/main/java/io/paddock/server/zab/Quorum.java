package io.paddock.server.zab;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which sets of servers make a quorum. Normally a majority of the voters; while the membership
 * changes, a majority of the old voters and a majority of the new ones alike (joint consensus),
 * so that no decision can be made by either configuration alone. Every count of agreement in the
 * core (votes, epochs, acknowledgements, the commit point) asks this type with the set of
 * servers that agree, never with a number.
 */
public sealed interface Quorum permits Quorum.Majority, Quorum.Joint {
    /** Every server that votes in some part of this quorum, sorted. */
    SortedSet<Long> voters();

    /** Whether {@code agreeing} (any ids; non-voters are ignored) is a quorum. */
    boolean isQuorum(Set<Long> agreeing);

    /** Whether {@code id} votes in some part of this quorum. */
    default boolean isVoter(long id) {
        return voters().contains(id);
    }

    /**
     * The highest value that a quorum of servers has reached: the largest {@code v} among
     * {@code values} (server → value, e.g. the last durable zxid) such that the servers whose
     * value is at least {@code v} make a quorum; {@code Long.MIN_VALUE} when none does.
     */
    long highestAgreed(Map<Long, Long> values);

    /** More than half of {@code voters}. */
    record Majority(SortedSet<Long> voters) implements Quorum {
        public Majority {
            if (voters.isEmpty()) {
                throw new IllegalArgumentException("a quorum needs at least one voter");
            }
            voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        }

        public static Majority of(Set<Long> voters) {
            return new Majority(new TreeSet<>(voters));
        }

        @Override
        public boolean isQuorum(Set<Long> agreeing) {
            int n = 0;
            for (long id : agreeing) {
                n += voters.contains(id) ? 1 : 0;
            }
            return n > voters.size() / 2;
        }

        @Override
        public long highestAgreed(Map<Long, Long> values) {
            long[] reached = new long[voters.size()];
            int n = 0;
            for (long id : voters) {
                Long v = values.get(id);
                if (v != null) {
                    reached[n++] = v;
                }
            }
            int needed = voters.size() / 2 + 1;
            if (n < needed) {
                return Long.MIN_VALUE;
            }
            Arrays.sort(reached, 0, n);
            // The needed-th highest value: that many voters (and no quorum more) have reached it.
            return reached[n - needed];
        }
    }

    /** A majority of {@code old} and a majority of {@code next}: the quorum while one becomes the other. */
    record Joint(Majority old, Majority next) implements Quorum {
        @Override
        public SortedSet<Long> voters() {
            SortedSet<Long> all = new TreeSet<>(old.voters());
            all.addAll(next.voters());
            return Collections.unmodifiableSortedSet(all);
        }

        @Override
        public boolean isQuorum(Set<Long> agreeing) {
            return old.isQuorum(agreeing) && next.isQuorum(agreeing);
        }

        /** Whoever reached the lower of the two parts' points reached both (reaching is monotone). */
        @Override
        public long highestAgreed(Map<Long, Long> values) {
            return Math.min(old.highestAgreed(values), next.highestAgreed(values));
        }
    }
}
