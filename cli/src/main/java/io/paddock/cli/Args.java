package io.paddock.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments after option parsing: single-letter switches ({@code -s}), options
 * with a value ({@code -v 3}) and the positional arguments, in order. Options may come before
 * or after the positional arguments, as Apache's zkCli allows ({@code set /a data -s}).
 */
public record Args(Set<Character> switches, Map<Character, String> values, List<String> positional) {

    /**
     * Parses {@code tokens} (without the command name). {@code switches} and {@code valued}
     * list the letters the command accepts; anything else starting with '-' fails.
     *
     * @throws CliException with {@code usage} as message when the options are malformed
     */
    public static Args parse(List<String> tokens, String switches, String valued, String usage) {
        Set<Character> on = new HashSet<>();
        Map<Character, String> values = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.length() == 2 && t.charAt(0) == '-' && Character.isLetter(t.charAt(1))) {
                char c = t.charAt(1);
                if (switches.indexOf(c) >= 0) {
                    on.add(c);
                    continue;
                }
                if (valued.indexOf(c) >= 0 && i + 1 < tokens.size()) {
                    values.put(c, tokens.get(++i));
                    continue;
                }
                throw new CliException(usage);
            }
            positional.add(t);
        }
        return new Args(Set.copyOf(on), Map.copyOf(values), List.copyOf(positional));
    }

    public boolean has(char c) {
        return switches.contains(c) || values.containsKey(c);
    }

    public String value(char c) {
        return values.get(c);
    }

    /** The option's value as an int, or {@code fallback} when absent. */
    public int intValue(char c, int fallback, String what) {
        String v = values.get(c);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CliException("-" + c + " " + v + ": " + what + " must be an integer");
        }
    }

    /** Positional argument {@code i}, or null. */
    public String arg(int i) {
        return i < positional.size() ? positional.get(i) : null;
    }
}
