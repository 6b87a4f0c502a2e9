package io.paddock.server.zab.golden;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One script command: a name, positional arguments and {@code key=value} arguments. Double quotes
 * group a value with spaces ({@code request 2 "create /a"}, {@code data="x y"}).
 */
record Command(String name, List<String> args, Map<String, String> options) {

    static Command parse(String line) {
        List<String> tokens = tokenize(line);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> args = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq > 0 && !t.startsWith("\u0000")) {
                options.put(t.substring(0, eq), t.substring(eq + 1));
            } else {
                args.add(t.startsWith("\u0000") ? t.substring(1) : t);
            }
        }
        return new Command(tokens.get(0), args, options);
    }

    /** Splits on blanks; a token that began with a quote is marked with a leading NUL (never key=value). */
    private static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            if (c == '"') {
                sb.append('\u0000');
            }
            boolean quoted = false;
            while (i < line.length() && (quoted || !Character.isWhitespace(line.charAt(i)))) {
                char d = line.charAt(i++);
                if (d == '"') {
                    quoted = !quoted;
                } else {
                    sb.append(d);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("unterminated quote in: " + line);
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Fails on an option this command does not know (a typo would otherwise be silently ignored). */
    Command allow(String... keys) {
        Set<String> known = Set.of(keys);
        for (String k : options.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(name + ": unknown option " + k + " (known: " + known + ")");
            }
        }
        return this;
    }

    String option(String key, String dflt) {
        return options.getOrDefault(key, dflt);
    }

    long longOption(String key, long dflt) {
        String v = options.get(key);
        return v == null ? dflt : parseNumber(v);
    }

    /** The positional arguments as server ids. */
    List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        for (String a : args) {
            ids.add(Long.parseLong(a));
        }
        return ids;
    }

    /** A decimal number or a {@code 0x} hexadecimal zxid. */
    static long parseNumber(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    static List<Long> parseIds(String csv) {
        List<Long> ids = new ArrayList<>();
        if (!csv.isEmpty()) {
            for (String p : csv.split(",")) {
                ids.add(Long.parseLong(p));
            }
        }
        return ids;
    }
}
