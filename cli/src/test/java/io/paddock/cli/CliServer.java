package io.paddock.cli;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/** A real Paddock server in this JVM, on a free loopback port, with its data in a temp dir. */
final class CliServer implements AutoCloseable {
    private final Path dir;
    private final PaddockServer server;

    CliServer() throws IOException {
        dir = Files.createTempDirectory("paddock-cli-test");
        Properties props = new Properties();
        props.setProperty("dataDir", dir.toString());
        props.setProperty("clientPort", "0");
        props.setProperty("clientPortAddress", "127.0.0.1");
        props.setProperty("preAllocSize", "1024");
        props.setProperty("extendedTypesEnabled", "true");
        server = PaddockServer.start(ServerConfig.parse(props, "test"));
    }

    String address() {
        return "127.0.0.1:" + server.clientPort();
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
