package io.paddock.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.paddock.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into frames (4-byte length, then that many bytes). The first four bytes
 * of a connection may instead be a four-letter word. A negative length or one above
 * jute.maxbuffer closes the connection without a reply, as Apache does; nothing else is read.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxFrameBytes;
    private boolean first = true;
    private boolean done;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (first) {
            if (in.readableBytes() < 4) {
                return;
            }
            String word = in.toString(in.readerIndex(), 4, StandardCharsets.ISO_8859_1);
            if (ServerConfig.ALL_FOUR_LETTER_WORDS.contains(word)) {
                long argument = 0;
                if (word.equals("stmk")) {
                    if (in.readableBytes() < 12) {
                        return;
                    }
                    argument = in.getLong(in.readerIndex() + 4);
                }
                in.skipBytes(in.readableBytes());
                done = true;
                out.add(new FourLetterWord(word, argument));
                return;
            }
            first = false;
        }
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length < 0 || length > maxFrameBytes) {
                LOG.warn("closing {}: frame length {} outside 0..{} (jute.maxbuffer)", ctx.channel().remoteAddress(),
                        length, maxFrameBytes);
                in.skipBytes(in.readableBytes());
                done = true;
                ctx.close();
                return;
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(length));
        }
    }
}
