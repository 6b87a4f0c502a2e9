package io.paddock.protocol;

/** Reply to setACL (7). */
public record SetACLResponse(Stat stat) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        stat.writeTo(out);
    }

    public static SetACLResponse readFrom(JuteInput in) {
        return new SetACLResponse(Stat.readFrom(in));
    }
}
