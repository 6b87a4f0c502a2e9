package io.paddock.protocol;

import java.util.List;

/** Body of setACL (7); version is compared with aversion. */
public record SetACLRequest(String path, List<ACL> acl, int version) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(path);
        out.writeRecordVector(acl);
        out.writeInt(version);
    }

    public static SetACLRequest readFrom(JuteInput in) {
        return new SetACLRequest(in.readString(), in.readRecordVector(ACL::readFrom, 12), in.readInt());
    }
}
