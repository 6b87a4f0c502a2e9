package io.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connect-string parsing, host rotation and reconnect backoff: plain logic, no server. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConnectStringTest {

    @Test
    void hostsPortsAndChroot() {
        ConnectString cs = ConnectString.parse("a:1, b ,[::1]:3,c:4/app/x");
        assertEquals(List.of(InetSocketAddress.createUnresolved("a", 1), InetSocketAddress.createUnresolved("b", 2181),
                InetSocketAddress.createUnresolved("::1", 3), InetSocketAddress.createUnresolved("c", 4)), cs.hosts());
        assertEquals("/app/x", cs.chroot());
        assertNull(ConnectString.parse("a:1/").chroot());
        assertNull(ConnectString.parse("a").chroot());
    }

    @Test
    void badConnectStrings() {
        for (String bad : List.of("", " ", ",", "a:0", "a:70000", "a:x", "[::1", "a/b/", "a//b", ":1")) {
            assertThrows(IllegalArgumentException.class, () -> ConnectString.parse(bad), bad);
        }
    }

    @Test
    void chrootTranslatesBothWays() {
        Chroot chroot = new Chroot("/app");
        assertEquals("/app", chroot.toServer("/"));
        assertEquals("/app/a", chroot.toServer("/a"));
        assertEquals("/", chroot.toClient("/app"));
        assertEquals("/a/b", chroot.toClient("/app/a/b"));
        assertEquals("/application", chroot.toClient("/application"), "a sibling with the same prefix is not inside");
        Chroot none = new Chroot(null);
        assertEquals("/a", none.toServer("/a"));
        assertEquals("/a", none.toClient("/a"));
    }

    @Test
    void hostsAreShuffledThenVisitedInTurn() {
        List<InetSocketAddress> hosts = List.of(InetSocketAddress.createUnresolved("127.0.0.1", 1),
                InetSocketAddress.createUnresolved("127.0.0.1", 2), InetSocketAddress.createUnresolved("127.0.0.1", 3));
        Set<Integer> firsts = new HashSet<>();
        for (int seed = 0; seed < 50; seed++) {
            HostProvider provider = new HostProvider(hosts, new Random(seed));
            int first = provider.next().getPort();
            firsts.add(first);
            Set<Integer> round = new HashSet<>(Set.of(first, provider.next().getPort(), provider.next().getPort()));
            assertEquals(Set.of(1, 2, 3), round, "one full pass visits every host once");
            assertEquals(first, provider.next().getPort(), "then it starts over");
        }
        assertEquals(Set.of(1, 2, 3), firsts, "any host may come first");
    }

    @Test
    void backoffIsShortOnTheFirstPassAndBoundedAfter() {
        Backoff backoff = new Backoff(3, 50, 1000, new Random(7));
        for (int i = 0; i < 3; i++) {
            long d = backoff.nextDelayMs();
            assertTrue(d >= 0 && d < 50, "first pass: " + d);
        }
        long max = 0;
        for (int i = 0; i < 300; i++) {
            long d = backoff.nextDelayMs();
            assertTrue(d >= 0 && d < 1000, "bounded: " + d);
            max = Math.max(max, d);
        }
        assertTrue(max > 500, "the ceiling grows: " + max);
        backoff.reset();
        assertTrue(backoff.nextDelayMs() < 50);
    }
}
