package io.paddock.server.differential;

import java.util.List;

/** One step the generator asks for; it is run the same way on both servers. */
sealed interface Operation {

    String describe();

    /** A request made through client slot {@code client}. */
    record ClientOp(int client, String what, ClientAction action) implements Operation {
        @Override
        public String describe() {
            return "c" + client + " " + what;
        }
    }

    /** Waits for all watch events in flight and compares every client's events so far. */
    record Checkpoint() implements Operation {
        @Override
        public String describe() {
            return "checkpoint: compare watch events of every client";
        }
    }

    /** Closes the session in slot {@code client} (if any) and opens a new one with these digest credentials. */
    record Reopen(int client, List<String> credentials) implements Operation {
        @Override
        public String describe() {
            return "c" + client + " new session, auth " + credentials;
        }
    }

    /** The body of a {@link ClientOp}: performs the request and describes its result. */
    @FunctionalInterface
    interface ClientAction {
        void run(OpContext ctx) throws Exception;
    }
}
