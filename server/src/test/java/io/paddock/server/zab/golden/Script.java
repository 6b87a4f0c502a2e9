package io.paddock.server.zab.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * A golden script: blocks of a command, a {@code ----} line and the expected output, which runs up
 * to a blank line. Comment ({@code #}) and blank lines before a command are kept verbatim, so the
 * file can be written back with new outputs and nothing else changed.
 */
record Script(List<Block> blocks, List<String> trailer) {
    static final String SEPARATOR = "----";

    /**
     * @param preamble the comment and blank lines before the command
     * @param line     the command's line number (1-based)
     */
    record Block(List<String> preamble, int line, String command, List<String> expected) {
    }

    static Script parse(String name, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        List<String> preamble = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                preamble.add(l);
                i++;
                continue;
            }
            int commandLine = i + 1;
            if (i + 1 >= lines.size() || !lines.get(i + 1).equals(SEPARATOR)) {
                throw new IllegalArgumentException(name + ":" + (i + 2) + ": expected " + SEPARATOR
                        + " after the command " + l);
            }
            i += 2;
            List<String> expected = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isEmpty()) {
                expected.add(lines.get(i++));
            }
            i++; // the blank line that ends the output
            blocks.add(new Block(List.copyOf(preamble), commandLine, l, List.copyOf(expected)));
            preamble.clear();
        }
        return new Script(List.copyOf(blocks), List.copyOf(preamble));
    }

    /** The file text with these outputs in place of the expected ones. */
    String format(List<List<String>> outputs) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            block.preamble().forEach(l -> sb.append(l).append('\n'));
            sb.append(block.command()).append('\n').append(SEPARATOR).append('\n');
            outputs.get(b).forEach(l -> sb.append(l).append('\n'));
            if (b < blocks.size() - 1 || !trailer.isEmpty()) {
                sb.append('\n');
            }
        }
        trailer.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
