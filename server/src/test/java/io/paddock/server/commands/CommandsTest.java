package io.paddock.server.commands;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

/** The one command table: every four-letter word but the trace-mask pair is a command of it. */
class CommandsTest {
    @Test
    void everyWordButTheTraceMaskOnesIsACommandNamedByIt() {
        for (String word : ServerConfig.ALL_FOUR_LETTER_WORDS) {
            Commands.Command command = Commands.byWord(word);
            if (word.equals("gtmk") || word.equals("stmk")) {
                assertNull(command, word);
                continue;
            }
            assertNotNull(command, word);
            assertTrue(command.names().contains(word), word + " is also the admin alias of " + command.names());
            assertSame(command, Commands.find(word), word);
        }
    }
}
