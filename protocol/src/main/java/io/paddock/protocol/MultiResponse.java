package io.paddock.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reply body of multi (14) and multiRead (22): a header and body per result, then a terminator. */
public record MultiResponse(List<OpResult> results) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        for (OpResult result : results) {
            new MultiHeader(result.type(), false, result.err()).writeTo(out);
            if (result.body() != null) {
                result.body().writeTo(out);
            }
        }
        new MultiHeader(-1, true, -1).writeTo(out);
    }

    public static MultiResponse readFrom(JuteInput in) {
        List<OpResult> results = new ArrayList<>();
        MultiHeader header = MultiHeader.readFrom(in);
        while (!header.done()) {
            Record body = switch (header.type()) {
                case OpCode.CREATE -> CreateResponse.readFrom(in);
                case OpCode.CREATE2 -> Create2Response.readFrom(in);
                case OpCode.DELETE, OpCode.CHECK -> null;
                case OpCode.SET_DATA -> SetDataResponse.readFrom(in);
                case OpCode.GET_DATA -> GetDataResponse.readFrom(in);
                case OpCode.GET_CHILDREN -> GetChildrenResponse.readFrom(in);
                case OpCode.ERROR -> ErrorResponse.readFrom(in);
                default -> throw new JuteException("unknown multi result type " + header.type());
            };
            results.add(new OpResult(header.type(), header.err(), body));
            header = MultiHeader.readFrom(in);
        }
        return new MultiResponse(Collections.unmodifiableList(results));
    }
}
