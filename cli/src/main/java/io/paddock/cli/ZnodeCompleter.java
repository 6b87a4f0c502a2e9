package io.paddock.cli;

import io.paddock.client.PaddockClient;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: the first word from the command names, a word starting with '/' from the
 * children of its parent znode, fetched from the server as Tab is pressed.
 */
final class ZnodeCompleter implements Completer {
    /** A slow server must not freeze the line editor for long. */
    private static final long LOOKUP_TIMEOUT_MS = 2000;

    private final Commands commands;
    private final Session session;

    ZnodeCompleter(Commands commands, Session session) {
        this.commands = commands;
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (Command c : commands.all()) {
                candidates.add(new Candidate(c.name()));
            }
            return;
        }
        String word = line.word().substring(0, line.wordCursor());
        if (!word.startsWith("/")) {
            return;
        }
        int slash = word.lastIndexOf('/');
        String parent = slash == 0 ? "/" : word.substring(0, slash);
        String prefix = word.substring(slash + 1);
        for (String child : children(parent)) {
            if (child.startsWith(prefix)) {
                // Not "complete": no space after it, so the path can go on with '/'.
                candidates.add(new Candidate(word.substring(0, slash + 1) + child, child, null, null, null, null,
                        false));
            }
        }
    }

    private List<String> children(String parent) {
        PaddockClient client = session.rawClient();
        if (client == null || !client.state().isConnected()) {
            return List.of();
        }
        try {
            return client.getChildrenAsync(parent).get(LOOKUP_TIMEOUT_MS, TimeUnit.MILLISECONDS).stream().sorted()
                    .toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException | IllegalArgumentException e) {
            return List.of(); // no such node, or no answer in time: nothing to offer
        }
    }
}
