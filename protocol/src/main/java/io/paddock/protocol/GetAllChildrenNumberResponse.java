package io.paddock.protocol;

/** Reply to getAllChildrenNumber (104): all descendants, the node excluded. */
public record GetAllChildrenNumberResponse(int totalNumber) implements Record {
    @Override
    public void writeTo(JuteOutput out) {
        out.writeInt(totalNumber);
    }

    public static GetAllChildrenNumberResponse readFrom(JuteInput in) {
        return new GetAllChildrenNumberResponse(in.readInt());
    }
}
