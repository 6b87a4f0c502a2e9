package io.paddock.protocol;

/** Reply to create2, createContainer and createTTL: the path created and its Stat. */
public record Create2Response(String path, Stat stat) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        stat.writeTo(out);
    }

    public static Create2Response readFrom(JuteInput in) {
        return new Create2Response(in.readString(), Stat.readFrom(in));
    }
}
