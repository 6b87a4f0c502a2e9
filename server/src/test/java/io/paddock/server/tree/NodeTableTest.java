package io.paddock.server.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tree's path index against a HashMap, under random adds and removes (with backward shifts). */
class NodeTableTest {
    private static Node node(String path) {
        return new Node(path, new byte[0], List.of(), 1, 1, 0);
    }

    @Test
    void behavesAsAMapUnderRandomAddsAndRemoves() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            NodeTable table = new NodeTable(rnd.nextInt(40));
            Map<String, Node> model = new HashMap<>();
            // A small key space, so that removals punch holes inside long probe runs.
            int keys = 50 + rnd.nextInt(3000);
            for (int op = 0; op < 20_000; op++) {
                String path = "/p" + rnd.nextInt(keys / 10) + "/n" + rnd.nextInt(keys);
                if (rnd.nextInt(3) == 0) {
                    assertSame(model.remove(path), table.remove(path), "remove " + path);
                } else {
                    Node n = node(path);
                    boolean fresh = !model.containsKey(path);
                    assertEquals(fresh, table.add(n), "add " + path);
                    if (fresh) {
                        model.put(path, n);
                    }
                }
                assertEquals(model.size(), table.size());
                if (op % 997 == 0) {
                    for (Map.Entry<String, Node> e : model.entrySet()) {
                        assertSame(e.getValue(), table.get(e.getKey()), "seed " + seed + " get " + e.getKey());
                    }
                    Set<Node> all = new HashSet<>(List.of(table.toArray()));
                    assertEquals(new HashSet<>(model.values()), all);
                }
            }
            for (Map.Entry<String, Node> e : model.entrySet()) {
                assertSame(e.getValue(), table.get(e.getKey()));
            }
            for (String p : new ArrayList<>(model.keySet())) {
                assertSame(model.remove(p), table.remove(p));
                assertFalse(table.contains(p));
            }
            assertEquals(0, table.size());
            assertEquals(0, table.toArray().length);
        }
    }

    @Test
    void missingPathsAndClear() {
        NodeTable table = new NodeTable(0);
        assertNull(table.get("/a"));
        assertNull(table.remove("/a"));
        for (int i = 0; i < 1000; i++) {
            assertTrue(table.add(node("/n" + i)));
        }
        assertFalse(table.add(node("/n5")), "a second node at one path is refused");
        assertEquals(1000, table.size());
        table.clear();
        assertEquals(0, table.size());
        assertNull(table.get("/n5"));
        assertTrue(table.add(node("/n5")));
    }
}
