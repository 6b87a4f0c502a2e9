package io.paddock.protocol;

import java.util.List;

/** Reply to getChildren2 (12). */
public record GetChildren2Response(List<String> children, Stat stat) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeStringVector(children);
        stat.writeTo(out);
    }

    public static GetChildren2Response readFrom(JuteInput in) {
        return new GetChildren2Response(in.readStringVector(), Stat.readFrom(in));
    }
}
