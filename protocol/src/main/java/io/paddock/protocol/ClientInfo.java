package io.paddock.protocol;

/** One identity held by a connection, as reported by whoAmI. */
public record ClientInfo(String authScheme, String user) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeString(authScheme);
        out.writeString(user);
    }

    public static ClientInfo readFrom(JuteInput in) {
        return new ClientInfo(in.readString(), in.readString());
    }
}
