package io.paddock.server.commands;

import java.util.Map;

/** How a four-letter word writes its command's facts: Apache's text for that word. */
@FunctionalInterface
public interface TextForm {
    /**
     * The text; on the core thread, right after the facts were computed there.
     *
     * @param facts the command's fields, as the admin server answers them
     * @param ctx   for what only the text shows (dump's connections)
     * @param asker the asking connection's address: Apache's stat lists it, and srvr and mntr count it
     */
    String render(Map<String, Object> facts, Commands.Context ctx, String asker);

    /** A text that needs no facts, written at once: ruok answers even while the core thread is busy. */
    record Fixed(String text) implements TextForm {
        @Override
        public String render(Map<String, Object> facts, Commands.Context ctx, String asker) {
            return text;
        }
    }
}
