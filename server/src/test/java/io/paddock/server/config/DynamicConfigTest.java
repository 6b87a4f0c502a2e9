package io.paddock.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The membership text of /zookeeper/config, as Apache ZooKeeper writes it. */
class DynamicConfigTest {
    @Test
    void oneLinePerMemberInIdOrderThenTheVersionInHex() {
        DynamicConfig c = new DynamicConfig(List.of(
                PeerSpec.parse(3, "zk3:2888:3888:observer"),
                PeerSpec.parse(1, "zk1:2888:3888;2181"),
                PeerSpec.parse(2, "[::1]:2888:3888:participant;10.0.0.2:2181")), 0x100000002L);
        assertEquals("""
                server.1=zk1:2888:3888:participant;0.0.0.0:2181
                server.2=[::1]:2888:3888:participant;10.0.0.2:2181
                server.3=zk3:2888:3888:observer
                version=100000002""", c.text());
        assertEquals("server.1=h:1:2:participant\nversion=0",
                new DynamicConfig(List.of(PeerSpec.parse(1, "h:1:2")), 0).text());
    }
}
