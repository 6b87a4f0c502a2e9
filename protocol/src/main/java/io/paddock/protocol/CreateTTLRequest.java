package io.paddock.protocol;

import java.util.List;

/** Body of createTTL (21). */
public record CreateTTLRequest(String path, byte[] data, List<ACL> acl, int flags, long ttl) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeRecordVector(acl);
        out.writeInt(flags);
        out.writeLong(ttl);
    }

    public static CreateTTLRequest readFrom(JuteInput in) {
        return new CreateTTLRequest(in.readString(), in.readBuffer(), in.readRecordVector(ACL::readFrom, 12), in.readInt(), in.readLong());
    }
}
