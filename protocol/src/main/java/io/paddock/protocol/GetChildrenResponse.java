package io.paddock.protocol;

import java.util.List;

/** Reply to getChildren (8): bare child names. */
public record GetChildrenResponse(List<String> children) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeStringVector(children);
    }

    public static GetChildrenResponse readFrom(JuteInput in) {
        return new GetChildrenResponse(in.readStringVector());
    }
}
