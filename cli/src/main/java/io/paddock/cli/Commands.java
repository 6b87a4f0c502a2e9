package io.paddock.cli;

import io.paddock.client.PaddockException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The table of commands and the one place that runs a command line and turns failures into exit codes. */
public final class Commands {
    /** The first line of {@code help}, naming the shell's own options. */
    static final String SYNOPSIS = "ZooKeeper -server host:port[,host:port...][/chroot] [-timeout ms] [-r] cmd args";

    private final Map<String, Command> table = new TreeMap<>();

    /** Every command of the shell. */
    public static Commands standard() {
        Commands c = new Commands();
        NodeCommands.register(c);
        AclCommands.register(c);
        WatchCommands.register(c);
        QuotaCommands.register(c);
        ShellCommands.register(c);
        return c;
    }

    void add(Command command) {
        table.put(command.name(), command);
    }

    public Collection<Command> all() {
        return table.values();
    }

    /**
     * Runs one command line, already split into words. Output goes to the session's out, errors
     * to its err; returns the exit code (0 on success, 1 on failure, 127 for an unknown command).
     */
    public int execute(List<String> words, Session session) {
        if (words.isEmpty()) {
            return 0;
        }
        Command command = table.get(words.get(0));
        try {
            if (command == null) {
                printUsage(session);
                throw new CliException("Command not found: " + words.get(0), CliException.COMMAND_NOT_FOUND);
            }
            Args args = Args.parse(words.subList(1, words.size()), command.switches(), command.valued(),
                    command.usage());
            if (args.positional().size() < command.minArgs()) {
                throw new CliException(command.usage());
            }
            command.handler().run(args, session);
            return 0;
        } catch (CliException e) {
            session.err().println(e.getMessage());
            return e.exitCode();
        } catch (PaddockException e) {
            session.err().println(Errors.message(e));
            return 1;
        } catch (IllegalArgumentException e) {
            session.err().println(e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.err().println("Interrupted");
            return 1;
        }
    }

    void printUsage(Session session) {
        session.err().println(SYNOPSIS);
        for (Command c : table.values()) {
            session.err().println("\t" + c.usage());
        }
    }
}
