package io.paddock.protocol;

import java.util.List;

/** Reply to whoAmI (107). */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeRecordVector(clientInfo);
    }

    public static WhoAmIResponse readFrom(JuteInput in) {
        return new WhoAmIResponse(in.readRecordVector(ClientInfo::readFrom, 8));
    }
}
