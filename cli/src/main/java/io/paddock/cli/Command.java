package io.paddock.cli;

/**
 * One shell command: its name, the usage line printed when it is misused, the option letters it
 * takes ({@code switches} alone, {@code valued} followed by a value), how many positional
 * arguments it needs at least, and what it does.
 */
public record Command(String name, String usage, String switches, String valued, int minArgs, Handler handler) {

    /** Runs a command; failures are thrown (CliException, PaddockException, IllegalArgumentException). */
    @FunctionalInterface
    public interface Handler {
        void run(Args args, Session session) throws InterruptedException;
    }
}
