package io.paddock.protocol;

import java.util.List;

/** Body of create (1), create2 (15) and createContainer (19). */
public record CreateRequest(String path, byte[] data, List<ACL> acl, int flags) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeRecordVector(acl);
        out.writeInt(flags);
    }

    public static CreateRequest readFrom(JuteInput in) {
        return new CreateRequest(in.readString(), in.readBuffer(), in.readRecordVector(ACL::readFrom, 12), in.readInt());
    }
}
