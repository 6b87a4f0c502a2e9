package io.paddock.cli;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** A real Paddock server in this JVM, on a free loopback port, with its data in a temp dir. */
final class CliServer implements AutoCloseable {
    private final Path dir;
    private final PaddockServer server;

    CliServer() throws IOException {
        this(java.util.Map.of());
    }

    /** A server with these zoo.cfg settings added. */
    CliServer(java.util.Map<String, String> extra) throws IOException {
        dir = Files.createTempDirectory("paddock-cli-test");
        Properties props = new Properties();
        props.setProperty("dataDir", dir.toString());
        props.setProperty("clientPort", "0");
        props.setProperty("clientPortAddress", "127.0.0.1");
        props.setProperty("preAllocSize", "1024");
        props.setProperty("extendedTypesEnabled", "true");
        extra.forEach(props::setProperty);
        server = PaddockServer.start(ServerConfig.parse(props, "test"));
    }

    String address() {
        return "127.0.0.1:" + server.clientPort();
    }

    /** Runs one command as {@code zkCli.sh -server <this server> cmd args}, capturing exit code, stdout and stderr. */
    ZkCliCommandsTest.Result run(String... command) {
        List<String> args = new ArrayList<>(List.of("-server", address(), "-timeout", "10000"));
        args.addAll(List.of(command));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ZkCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ZkCliCommandsTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
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
