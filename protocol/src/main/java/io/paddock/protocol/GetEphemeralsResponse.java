package io.paddock.protocol;

import java.util.List;

/** Reply to getEphemerals (103): full paths. */
public record GetEphemeralsResponse(List<String> ephemerals) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeStringVector(ephemerals);
    }

    public static GetEphemeralsResponse readFrom(JuteInput in) {
        return new GetEphemeralsResponse(in.readStringVector());
    }
}
