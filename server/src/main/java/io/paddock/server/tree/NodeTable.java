package io.paddock.server.tree;

import java.util.Arrays;

/**
 * The tree's index from path to node: an open-addressing table holding the nodes themselves
 * (each knows its path), with linear probing, kept at most half full. A HashMap would add a
 * 32-byte entry object per znode and one more object for the collector to trace; this table
 * costs 8 to 16 bytes of array per znode. Apply thread only.
 */
final class NodeTable {
    private static final int MIN_CAPACITY = 16;

    private Node[] slots;
    private int shift;
    private int size;

    NodeTable(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2L && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        allocate(capacity);
    }

    private void allocate(int capacity) {
        slots = new Node[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    /** The home slot: Fibonacci hashing spreads String hashes of similar names across the table. */
    private int home(String path) {
        return (path.hashCode() * 0x9E3779B9) >>> shift;
    }

    int size() {
        return size;
    }

    Node get(String path) {
        int mask = slots.length - 1;
        for (int i = home(path); ; i = (i + 1) & mask) {
            Node n = slots[i];
            if (n == null || n.path.equals(path)) {
                return n;
            }
        }
    }

    boolean contains(String path) {
        return get(path) != null;
    }

    /** Adds a node whose path is not in the table yet; false (and no change) if it is. */
    boolean add(Node node) {
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = home(node.path); ; i = (i + 1) & mask) {
            Node n = slots[i];
            if (n == null) {
                slots[i] = node;
                size++;
                return true;
            }
            if (n.path.equals(node.path)) {
                return false;
            }
        }
    }

    /** Removes and returns the node at {@code path}, or null. */
    Node remove(String path) {
        int mask = slots.length - 1;
        int i = home(path);
        while (true) {
            Node n = slots[i];
            if (n == null) {
                return null;
            }
            if (n.path.equals(path)) {
                break;
            }
            i = (i + 1) & mask;
        }
        Node removed = slots[i];
        slots[i] = null;
        size--;
        // Backward shift: move up every later node of the run whose home is not between the hole
        // and its slot, so that no lookup meets a gap before the node it looks for.
        int hole = i;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int h = home(slots[j].path);
            boolean reachable = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j);
            if (!reachable) {
                slots[hole] = slots[j];
                slots[j] = null;
                hole = j;
            }
        }
        return removed;
    }

    /** Every node, in no particular order. */
    Node[] toArray() {
        Node[] all = new Node[size];
        int k = 0;
        for (Node n : slots) {
            if (n != null) {
                all[k++] = n;
            }
        }
        assert k == size : "table holds " + k + " nodes, counted " + size;
        return all;
    }

    void clear() {
        Arrays.fill(slots, null);
        size = 0;
    }

    private void grow() {
        Node[] old = slots;
        allocate(old.length << 1);
        int mask = slots.length - 1;
        for (Node n : old) {
            if (n != null) {
                int i = home(n.path);
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = n;
            }
        }
    }
}
