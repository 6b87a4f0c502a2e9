package io.paddock.server.admin;

import io.paddock.server.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Reads the zoo.cfg a server was configured from once more, for the keys a side service (the
 * admin server, the metrics endpoint) owns; a bad value is reported with the file's name.
 */
final class ConfigSource {
    private ConfigSource() {
    }

    /**
     * Parses the file named by {@code source} with {@code parse}; empty when the configuration was
     * not read from a file (built in memory, as tests do).
     */
    static <T> Optional<T> parse(String source, Function<Properties, T> parse) {
        if (source == null) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(source);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Files.isRegularFile(file) ? Optional.of(parse(file, parse)) : Optional.empty();
    }

    /** Parses {@code file} with {@code parse}. */
    static <T> T parse(Path file, Function<Properties, T> parse) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse.apply(props);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + " in " + file, e);
        }
    }
}
