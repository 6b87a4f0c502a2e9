package io.paddock.protocol;

import java.util.List;

/** Reply to getACL (6). */
public record GetACLResponse(List<ACL> acl, Stat stat) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeRecordVector(acl);
        stat.writeTo(out);
    }

    public static GetACLResponse readFrom(JuteInput in) {
        return new GetACLResponse(in.readRecordVector(ACL::readFrom, 12), Stat.readFrom(in));
    }
}
