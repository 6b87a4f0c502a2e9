package io.paddock.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/** The interactive loop: prompt, read a line (JLine: editing, history, Tab completion), run it. */
final class Shell {
    private final CliOptions options;
    private final Terminal terminal;
    private final BufferedReader plainInput;
    private final PrintStream plainOut;
    private final PrintStream err;
    private final Path historyFile;

    private final Commands commands = Commands.standard();

    /** A shell on a terminal: JLine line editing, history, completion. */
    Shell(CliOptions options, Terminal terminal, PrintStream err, Path historyFile) {
        this.options = options;
        this.terminal = terminal;
        this.plainInput = null;
        this.plainOut = null;
        this.err = err;
        this.historyFile = historyFile;
    }

    /** A shell on piped input: lines are read as they come, the prompt still printed. */
    Shell(CliOptions options, InputStream in, OutputStream out, PrintStream err) {
        this.options = options;
        this.terminal = null;
        this.plainInput = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.plainOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        this.err = err;
        this.historyFile = null;
    }

    int run() {
        return terminal == null ? runPlain() : runTerminal();
    }

    private int runPlain() {
        PrintStream out = plainOut;
        try (Session session = new Session(options.server(), options.timeout(), options.readOnly(), out, err, true)) {
            out.println("Connecting to " + options.server());
            session.connect(options.server());
            out.println("Welcome to Paddock!");
            while (!session.quitRequested()) {
                out.print(prompt(session));
                out.flush();
                String line;
                try {
                    line = plainInput.readLine();
                } catch (IOException e) {
                    err.println("cannot read input: " + e.getMessage());
                    return 1;
                }
                if (line == null) {
                    break;
                }
                execute(line, session);
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
        return 0;
    }

    private int runTerminal() {
        PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        try (Session session = new Session(options.server(), options.timeout(), options.readOnly(), out, err, true)) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("zkCli")
                    .completer(new ZnodeCompleter(commands, session))
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    // Data such as "hi!" must reach the server as typed, not as a history reference.
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            // Events arriving while a line is being edited go above the prompt, not into it.
            session.eventSink(text -> reader.printAbove(text));
            out.println("Connecting to " + options.server());
            session.connect(options.server());
            out.println("Welcome to Paddock!");
            loop(reader, session);
            saveHistory(reader);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage()); // a malformed connect string
            return 1;
        }
        return 0;
    }

    private void loop(LineReader reader, Session session) {
        while (!session.quitRequested()) {
            String line;
            try {
                line = reader.readLine(prompt(session));
            } catch (UserInterruptException e) {
                continue; // Ctrl-C abandons the line, as in a Unix shell
            } catch (EndOfFileException e) {
                return; // Ctrl-D or the end of piped input
            }
            execute(line, session);
        }
    }

    private void execute(String line, Session session) {
        List<String> words;
        try {
            words = LineSplitter.split(line);
        } catch (CliException e) {
            err.println(e.getMessage());
            return;
        }
        if (words.isEmpty()) {
            return;
        }
        session.record(line.trim());
        commands.execute(words, session);
        err.flush();
    }

    /** Apache's prompt, which people and expect scripts recognise: {@code [zk: host:port(CONNECTED) 3] }. */
    static String prompt(Session session) {
        return "[zk: " + session.server() + "(" + session.stateName() + ") " + session.history().size() + "] ";
    }

    private void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            err.println("could not save the history to " + historyFile + ": " + e.getMessage());
        }
    }
}
