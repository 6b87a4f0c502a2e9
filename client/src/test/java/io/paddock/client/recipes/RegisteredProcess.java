package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import java.time.Duration;

/**
 * A separate JVM that registers one service instance and then idles, so a test can kill it
 * with SIGKILL. Arguments: connect string, base path, service, address. Prints the instance id
 * on stdout once registered; exits when its stdin closes (the test JVM went away).
 */
public final class RegisteredProcess {
    private RegisteredProcess() {
    }

    public static void main(String[] args) throws Exception {
        PaddockClient client = PaddockClient.builder(args[0]).sessionTimeout(Duration.ofMillis(1000)).build();
        ServiceInstance instance = new ServiceRegistry(client, args[1]).register(args[2], args[3]);
        System.out.println("REGISTERED " + instance.id());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Idle until the parent closes our stdin or kills us.
        }
        client.close();
    }
}
