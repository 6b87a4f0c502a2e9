package io.paddock.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an incoming connection's bytes into frame bodies (4-byte length, then that many bytes).
 * A length outside 1..{@link PeerCodec#MAX_FRAME_BYTES} is malformed: it fails the connection
 * rather than waiting for (or allocating) a frame that size.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws PeerCodec.MalformedException {
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length < 1 || length > PeerCodec.MAX_FRAME_BYTES) {
                in.skipBytes(in.readableBytes());
                throw new PeerCodec.MalformedException("frame length " + length + " outside 1.." + PeerCodec.MAX_FRAME_BYTES);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(length));
        }
    }
}
