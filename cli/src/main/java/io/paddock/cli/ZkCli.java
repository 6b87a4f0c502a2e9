package io.paddock.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Paddock's zkCli: {@code zkCli.sh -server host:port[,...] [-timeout ms] [-r] [command args...]}.
 * With a command it runs that one command and exits with 0 on success, non-zero on failure
 * (the reason on stderr); without one it is an interactive shell with history and completion.
 */
public final class ZkCli {
    /** System property naming the interactive history file. */
    public static final String HISTORY_PROPERTY = "paddock.cli.history";

    private ZkCli() {
    }

    public static void main(String[] args) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (CliException e) {
            System.err.println(e.getMessage());
            System.exit(e.exitCode());
            return;
        }
        int code;
        if (options.command().isEmpty()) {
            code = interactive(options, System.in, System.out, System.err, historyFile());
        } else {
            code = run(options, System.out, System.err);
        }
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line ({@code -server ... cmd args}) and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return run(CliOptions.parse(args), out, err);
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
    }

    static int run(CliOptions options, PrintStream out, PrintStream err) {
        if (options.command().isEmpty()) {
            err.println("no command given\nUsage: " + Commands.SYNOPSIS);
            return 1;
        }
        try (Session session = new Session(options.server(), options.timeout(), options.readOnly(), out, err, false)) {
            session.connect(options.server());
            session.record(String.join(" ", options.command()));
            return Commands.standard().execute(options.command(), session);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage()); // a malformed connect string
            return 1;
        }
    }

    /**
     * The interactive shell: on the system terminal with JLine when stdin and stdout are one,
     * otherwise line by line from {@code in} (commands piped in). Returns 0 after {@code quit}
     * or the end of input.
     */
    public static int interactive(CliOptions options, InputStream in, OutputStream out, PrintStream err,
            Path history) {
        if (in != System.in || System.console() == null) {
            return new Shell(options, in, out, err).run();
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return new Shell(options, terminal, err, history).run();
        } catch (IOException e) {
            err.println("cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    /** {@code -Dpaddock.cli.history=<file>}, else {@code ~/.paddock_cli_history}. */
    static Path historyFile() {
        String configured = System.getProperty(HISTORY_PROPERTY);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".paddock_cli_history");
    }
}
