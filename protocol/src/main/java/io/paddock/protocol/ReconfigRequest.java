package io.paddock.protocol;

/** Body of reconfig (16). */
public record ReconfigRequest(String joiningServers, String leavingServers, String newMembers, long curConfigId) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(joiningServers);
        out.writeString(leavingServers);
        out.writeString(newMembers);
        out.writeLong(curConfigId);
    }

    public static ReconfigRequest readFrom(JuteInput in) {
        return new ReconfigRequest(in.readString(), in.readString(), in.readString(), in.readLong());
    }
}
