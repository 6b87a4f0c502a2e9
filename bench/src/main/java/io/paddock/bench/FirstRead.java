package io.paddock.bench;

import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Waits for a server to serve a known znode again, for recovery figures: polls until a fresh
 * session reads {@code --path} with {@code --size} bytes of data, then prints the wall-clock
 * instant of that read ({@code System.currentTimeMillis()}, the clock of {@code date +%s%3N})
 * as one JSON line and exits 0; exits 1 after {@code --timeout} seconds.
 *
 * <p>Started before the server so that its own JVM start-up is not counted: it prints
 * {@code polling} on stdout once it polls. While the port refuses connections it retries
 * every 5 ms with a plain socket; once the port accepts (which some servers do before their
 * data is loaded), every attempt is a new session given {@code --attempt-ms} to connect and
 * read, so the client's reconnect back-off never stretches the wait.
 *
 * <pre>FirstRead --connect 127.0.0.1:2181 --path /pop0/n0 --size 100 --timeout 300 --attempt-ms 200</pre>
 */
public final class FirstRead {
    private FirstRead() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String connect = m.getOrDefault("connect", "127.0.0.1:2181");
        String path = m.getOrDefault("path", "/pop0/n0");
        int size = Integer.parseInt(m.getOrDefault("size", "100"));
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(m.getOrDefault("timeout", "300"))).toNanos();
        Duration attempt = Duration.ofMillis(Long.parseLong(m.getOrDefault("attempt-ms", "200")));
        String[] hostPort = connect.split(",")[0].split(":");
        InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        System.out.println("polling");
        System.out.flush();
        int attempts = 0;
        while (System.nanoTime() < deadline) {
            if (!accepts(address)) {
                Thread.sleep(5);
                continue;
            }
            attempts++;
            try (PaddockClient c = PaddockClient.builder(connect).sessionTimeout(Duration.ofSeconds(10))
                    .requestTimeout(attempt).build()) {
                if (c.awaitConnected(attempt)) {
                    NodeData d = c.getData(path);
                    long at = System.currentTimeMillis();
                    if (d.data() != null && d.data().length == size) {
                        System.out.printf("{\"path\":\"%s\",\"readAtEpochMs\":%d,\"sessions\":%d}%n", path, at, attempts);
                        return;
                    }
                    System.err.println(path + " has " + (d.data() == null ? "no data" : d.data().length + " bytes"));
                    System.exit(1);
                }
            } catch (RuntimeException e) {
                // Not serving yet (connection lost, request timed out, no node yet): try again.
            }
        }
        System.err.println("no read of " + path + " from " + connect + " before the timeout");
        System.exit(1);
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 100);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
