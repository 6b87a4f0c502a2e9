package io.paddock.cli;

/** A command failed: {@link #getMessage()} goes to stderr, {@link #exitCode()} is the process's exit code. */
public class CliException extends RuntimeException {
    /** Exit code of a command that is not known, as with Apache's zkCli. */
    public static final int COMMAND_NOT_FOUND = 127;

    private final int exitCode;

    public CliException(String message) {
        this(message, 1);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
