package io.paddock.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The shell's own options, {@code -server host:port[,...] [-timeout ms] [-r]}, then the command
 * to run once (empty for the interactive shell).
 */
public record CliOptions(String server, Duration timeout, boolean readOnly, List<String> command) {
    public static final String DEFAULT_SERVER = "localhost:2181";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public static CliOptions parse(String[] args) {
        String server = DEFAULT_SERVER;
        Duration timeout = DEFAULT_TIMEOUT;
        boolean readOnly = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            switch (args[i]) {
                case "-server" -> server = value(args, ++i, "-server");
                case "-timeout" -> {
                    String v = value(args, ++i, "-timeout");
                    try {
                        timeout = Duration.ofMillis(Long.parseLong(v));
                    } catch (NumberFormatException e) {
                        throw new CliException("-timeout " + v + ": expected milliseconds");
                    }
                    if (timeout.toMillis() <= 0) {
                        throw new CliException("-timeout " + v + ": must be positive");
                    }
                }
                case "-r" -> readOnly = true;
                default -> throw new CliException("unknown option " + args[i] + "\nUsage: " + Commands.SYNOPSIS);
            }
        }
        return new CliOptions(server, timeout, readOnly, List.copyOf(Arrays.asList(args).subList(i, args.length)));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new CliException(option + " needs a value\nUsage: " + Commands.SYNOPSIS);
        }
        return args[i];
    }
}
