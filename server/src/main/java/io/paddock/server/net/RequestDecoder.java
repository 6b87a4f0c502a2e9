package io.paddock.server.net;

import io.paddock.protocol.AddWatchRequest;
import io.paddock.protocol.CheckWatchesRequest;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.CreateTTLRequest;
import io.paddock.protocol.DeleteContainerRequest;
import io.paddock.protocol.DeleteRequest;
import io.paddock.protocol.ExistsRequest;
import io.paddock.protocol.GetACLRequest;
import io.paddock.protocol.GetAllChildrenNumberRequest;
import io.paddock.protocol.GetChildren2Request;
import io.paddock.protocol.GetChildrenRequest;
import io.paddock.protocol.GetDataRequest;
import io.paddock.protocol.GetEphemeralsRequest;
import io.paddock.protocol.JuteException;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.ReconfigRequest;
import io.paddock.protocol.Record;
import io.paddock.protocol.RemoveWatchesRequest;
import io.paddock.protocol.SetACLRequest;
import io.paddock.protocol.SetDataRequest;
import io.paddock.protocol.SetWatches;
import io.paddock.protocol.SetWatches2;
import io.paddock.protocol.SyncRequest;

/**
 * Decodes a request body by op code. Throws {@link JuteException} for a body that cannot be
 * decoded, including a multi that mixes reads with writes or carries a create with a bad flag.
 * Returns null for ops with no body and for ops a client may not send (the core answers those).
 */
public final class RequestDecoder {
    private RequestDecoder() {
    }

    public static Record decode(int op, JuteInput in) {
        return switch (op) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.readFrom(in);
            case OpCode.CREATE_TTL -> CreateTTLRequest.readFrom(in);
            case OpCode.DELETE -> DeleteRequest.readFrom(in);
            case OpCode.DELETE_CONTAINER -> DeleteContainerRequest.readFrom(in);
            case OpCode.EXISTS -> ExistsRequest.readFrom(in);
            case OpCode.GET_DATA -> GetDataRequest.readFrom(in);
            case OpCode.SET_DATA -> SetDataRequest.readFrom(in);
            case OpCode.GET_ACL -> GetACLRequest.readFrom(in);
            case OpCode.SET_ACL -> SetACLRequest.readFrom(in);
            case OpCode.GET_CHILDREN -> GetChildrenRequest.readFrom(in);
            case OpCode.GET_CHILDREN2 -> GetChildren2Request.readFrom(in);
            case OpCode.SYNC -> SyncRequest.readFrom(in);
            case OpCode.MULTI -> checkedMulti(MultiRequest.readFrom(in), false);
            case OpCode.MULTI_READ -> checkedMulti(MultiRequest.readFrom(in), true);
            case OpCode.RECONFIG -> ReconfigRequest.readFrom(in);
            case OpCode.CHECK_WATCHES -> CheckWatchesRequest.readFrom(in);
            case OpCode.REMOVE_WATCHES -> RemoveWatchesRequest.readFrom(in);
            case OpCode.ADD_WATCH -> AddWatchRequest.readFrom(in);
            case OpCode.GET_EPHEMERALS -> GetEphemeralsRequest.readFrom(in);
            case OpCode.GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberRequest.readFrom(in);
            case OpCode.SET_WATCHES -> {
                SetWatches w = SetWatches.readFrom(in);
                yield new SetWatches2(w.relativeZxid(), w.dataWatches(), w.existWatches(), w.childWatches(), null, null);
            }
            case OpCode.SET_WATCHES2 -> SetWatches2.readFrom(in);
            default -> null;
        };
    }

    private static MultiRequest checkedMulti(MultiRequest multi, boolean readOnly) {
        for (MultiOp op : multi.ops()) {
            boolean read = op.type() == OpCode.GET_DATA || op.type() == OpCode.GET_CHILDREN;
            if (read != readOnly) {
                throw new JuteException("op type " + op.type() + " not allowed in " + (readOnly ? "multiRead" : "multi"));
            }
            if (op.request() instanceof CreateRequest c) {
                CreateMode mode = CreateMode.fromFlag(c.flags());
                if (mode == null || mode.isTtl()) {
                    throw new JuteException("create flag " + c.flags() + " not allowed in a multi create");
                }
            }
        }
        return multi;
    }
}
