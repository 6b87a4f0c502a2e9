package io.paddock.protocol;

/** Reply to getData (4) and reconfig (16); data may be null. */
public record GetDataResponse(byte[] data, Stat stat) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeBuffer(data);
        stat.writeTo(out);
    }

    public static GetDataResponse readFrom(JuteInput in) {
        return new GetDataResponse(in.readBuffer(), Stat.readFrom(in));
    }
}
