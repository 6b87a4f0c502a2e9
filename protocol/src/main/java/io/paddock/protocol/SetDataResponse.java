package io.paddock.protocol;

/** Reply to setData (5). */
public record SetDataResponse(Stat stat) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        stat.writeTo(out);
    }

    public static SetDataResponse readFrom(JuteInput in) {
        return new SetDataResponse(Stat.readFrom(in));
    }
}
