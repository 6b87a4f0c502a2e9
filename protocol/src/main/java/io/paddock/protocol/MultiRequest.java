package io.paddock.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Body of multi (14) and multiRead (22): a {@link MultiHeader} and request record per operation,
 * closed by a header with {@code done = true}. Decoding rejects op types that may not appear in
 * either kind of multi; which kinds may be mixed is the server's business.
 */
public record MultiRequest(List<MultiOp> ops) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        for (MultiOp op : ops) {
            new MultiHeader(op.type(), false, -1).writeTo(out);
            op.request().writeTo(out);
        }
        new MultiHeader(-1, true, -1).writeTo(out);
    }

    public static MultiRequest readFrom(JuteInput in) {
        List<MultiOp> ops = new ArrayList<>();
        MultiHeader header = MultiHeader.readFrom(in);
        while (!header.done()) {
            ops.add(new MultiOp(header.type(), readOp(header.type(), in)));
            header = MultiHeader.readFrom(in);
        }
        return new MultiRequest(Collections.unmodifiableList(ops));
    }

    private static Record readOp(int type, JuteInput in) {
        return switch (type) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.readFrom(in);
            case OpCode.CREATE_TTL -> CreateTTLRequest.readFrom(in);
            case OpCode.DELETE -> DeleteRequest.readFrom(in);
            case OpCode.SET_DATA -> SetDataRequest.readFrom(in);
            case OpCode.CHECK -> CheckVersionRequest.readFrom(in);
            case OpCode.GET_DATA -> GetDataRequest.readFrom(in);
            case OpCode.GET_CHILDREN -> GetChildrenRequest.readFrom(in);
            default -> throw new JuteException("op type " + type + " is not allowed in a multi");
        };
    }
}
