package io.paddock.server.tools;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Shows node data as text when it is valid UTF-8 without control characters, else as hex. */
final class Printable {
    private Printable() {
    }

    static String of(byte[] data) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
            if (text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
                return '"' + text.replace("\n", "\\n") + '"';
            }
        } catch (CharacterCodingException e) {
            // not text: fall through to hex
        }
        return "0x" + HexFormat.of().formatHex(data);
    }
}
