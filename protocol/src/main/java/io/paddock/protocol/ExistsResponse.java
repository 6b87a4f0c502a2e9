package io.paddock.protocol;

/** Reply to exists (3). */
public record ExistsResponse(Stat stat) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        stat.writeTo(out);
    }

    public static ExistsResponse readFrom(JuteInput in) {
        return new ExistsResponse(Stat.readFrom(in));
    }
}
