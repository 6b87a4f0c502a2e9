package io.paddock.cli;

import io.paddock.client.PaddockClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Walks a subtree breadth-first, parents before children and siblings in name order. */
final class Trees {
    private Trees() {
    }

    static List<String> breadthFirst(PaddockClient client, String root) throws InterruptedException {
        List<String> order = new ArrayList<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            String path = queue.poll();
            order.add(path);
            for (String child : client.getChildren(path).stream().sorted().toList()) {
                queue.add(child(path, child));
            }
        }
        return order;
    }

    static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }
}
