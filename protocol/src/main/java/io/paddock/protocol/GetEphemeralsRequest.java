package io.paddock.protocol;

/** Body of getEphemerals (103). */
public record GetEphemeralsRequest(String prefixPath) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(prefixPath);
    }

    public static GetEphemeralsRequest readFrom(JuteInput in) {
        return new GetEphemeralsRequest(in.readString());
    }
}
