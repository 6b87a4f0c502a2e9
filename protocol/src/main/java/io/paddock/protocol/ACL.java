package io.paddock.protocol;

/** One access-control entry: permission bits ({@link Perms}) granted to an identity. */
public record ACL(int perms, Id id) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(perms);
        id.writeTo(out);
    }

    public static ACL readFrom(JuteInput in) {
        return new ACL(in.readInt(), Id.readFrom(in));
    }
}
