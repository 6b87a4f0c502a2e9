package io.paddock.cli;

import java.util.List;

/** The shell's own commands: connect, close, history, redo, version, quit, help. */
final class ShellCommands {
    /** How many entries {@code history} lists. */
    static final int HISTORY_SHOWN = 10;

    private ShellCommands() {
    }

    static void register(Commands c) {
        c.add(new Command("connect", "connect host:port", "", "", 1, (a, s) -> s.connect(a.arg(0))));
        c.add(new Command("close", "close", "", "", 0, (a, s) -> s.close()));
        c.add(new Command("history", "history", "", "", 0, ShellCommands::history));
        c.add(new Command("redo", "redo cmdno", "", "", 1, (a, s) -> redo(c, a, s)));
        c.add(new Command("version", "version", "", "", 0, (a, s) -> s.out().println(Version.text())));
        c.add(new Command("quit", "quit", "", "", 0, (a, s) -> s.quit()));
        c.add(new Command("help", "help", "", "", 0, (a, s) -> c.printUsage(s)));
    }

    private static void history(Args a, Session s) {
        List<String> history = s.history();
        for (int i = Math.max(0, history.size() - HISTORY_SHOWN); i < history.size(); i++) {
            s.out().println(i + " - " + history.get(i));
        }
    }

    /** Runs command {@code n} again; the redo's own history entry becomes that command. */
    private static void redo(Commands c, Args a, Session s) {
        List<String> history = s.history();
        int current = history.size() - 1;
        int n;
        try {
            n = Integer.parseInt(a.arg(0));
        } catch (NumberFormatException e) {
            throw new CliException("redo " + a.arg(0) + ": not a command number (see history)");
        }
        if (n < 0 || n >= current) {
            throw new CliException("Command index out of range");
        }
        String line = history.get(n);
        if (current >= 0) {
            s.replace(current, line);
        }
        int code = c.execute(LineSplitter.split(line), s);
        if (code != 0) {
            // The repeated command already printed why; only the exit code is left to pass on.
            throw new CliException("redo of command " + n + " failed", code);
        }
    }
}
