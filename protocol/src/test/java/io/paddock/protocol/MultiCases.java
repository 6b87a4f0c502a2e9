package io.paddock.protocol;

import static io.paddock.protocol.GoldenCase.of;
import static io.paddock.protocol.Samples.ACLS;
import static io.paddock.protocol.Samples.DATA;
import static io.paddock.protocol.Samples.EMPTY;
import static io.paddock.protocol.Samples.STAT;
import static io.paddock.protocol.Samples.UNICODE;
import static io.paddock.protocol.Samples.ZERO_STAT;
import static io.paddock.protocol.Samples.z;
import static io.paddock.protocol.Samples.zAcls;

import java.util.List;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;

/**
 * multi / multiRead requests and responses, against Apache's MultiOperationRecord (built from the
 * Op factories the Java client uses) and MultiResponse (built from OpResult values).
 */
final class MultiCases {
    private MultiCases() {
    }

    static Stream<GoldenCase> all() {
        return Stream.concat(requests(), responses());
    }

    private static Stream<GoldenCase> requests() {
        MultiRequest writes = new MultiRequest(List.of(
                new MultiOp(OpCode.CREATE, new CreateRequest("/m/c", DATA, ACLS, 0)),
                new MultiOp(OpCode.CREATE, new CreateRequest("/m/s-", null, Acls.OPEN_ACL_UNSAFE, 3)),
                new MultiOp(OpCode.CREATE_CONTAINER, new CreateRequest("/m/box", EMPTY, Acls.OPEN_ACL_UNSAFE, 4)),
                new MultiOp(OpCode.CREATE_TTL, new CreateTTLRequest("/m/ttl", DATA, ACLS, 5, 60_000L)),
                new MultiOp(OpCode.DELETE, new DeleteRequest("/m/old", -1)),
                new MultiOp(OpCode.SET_DATA, new SetDataRequest(UNICODE, null, 3)),
                new MultiOp(OpCode.CHECK, new CheckVersionRequest("/m/a", 99))));
        MultiOperationRecord apacheWrites = new MultiOperationRecord(List.of(
                Op.create("/m/c", DATA, zAcls(ACLS), 0),
                Op.create("/m/s-", null, zAcls(Acls.OPEN_ACL_UNSAFE), CreateMode.EPHEMERAL_SEQUENTIAL),
                Op.create("/m/box", EMPTY, zAcls(Acls.OPEN_ACL_UNSAFE), CreateMode.CONTAINER),
                Op.create("/m/ttl", DATA, zAcls(ACLS), CreateMode.PERSISTENT_WITH_TTL, 60_000L),
                Op.delete("/m/old", -1),
                Op.setData(UNICODE, null, 3),
                Op.check("/m/a", 99)));

        MultiRequest reads = new MultiRequest(List.of(
                new MultiOp(OpCode.GET_DATA, new GetDataRequest("/r/a", false)),
                new MultiOp(OpCode.GET_CHILDREN, new GetChildrenRequest(UNICODE, false))));
        MultiOperationRecord apacheReads = new MultiOperationRecord(List.of(
                Op.getData("/r/a"), Op.getChildren(UNICODE)));

        return Stream.of(
                of("MultiRequest every write op", writes, apacheWrites, MultiRequest::readFrom),
                of("MultiRequest multiRead", reads, apacheReads, MultiRequest::readFrom),
                of("MultiRequest empty", new MultiRequest(List.of()), new MultiOperationRecord(), MultiRequest::readFrom));
    }

    private static Stream<GoldenCase> responses() {
        org.apache.zookeeper.MultiResponse apacheSuccess = new org.apache.zookeeper.MultiResponse();
        apacheSuccess.add(new org.apache.zookeeper.OpResult.CreateResult("/m/c"));
        apacheSuccess.add(new org.apache.zookeeper.OpResult.CreateResult("/m/s-0000000007", z(STAT)));
        apacheSuccess.add(new org.apache.zookeeper.OpResult.DeleteResult());
        apacheSuccess.add(new org.apache.zookeeper.OpResult.SetDataResult(z(ZERO_STAT)));
        apacheSuccess.add(new org.apache.zookeeper.OpResult.CheckResult());
        MultiResponse success = new MultiResponse(List.of(
                new OpResult(OpCode.CREATE, 0, new CreateResponse("/m/c")),
                new OpResult(OpCode.CREATE2, 0, new Create2Response("/m/s-0000000007", STAT)),
                new OpResult(OpCode.DELETE, 0, null),
                new OpResult(OpCode.SET_DATA, 0, new SetDataResponse(ZERO_STAT)),
                new OpResult(OpCode.CHECK, 0, null)));

        org.apache.zookeeper.MultiResponse apacheFailure = new org.apache.zookeeper.MultiResponse();
        apacheFailure.add(new org.apache.zookeeper.OpResult.ErrorResult(0));
        apacheFailure.add(new org.apache.zookeeper.OpResult.ErrorResult(-103));
        apacheFailure.add(new org.apache.zookeeper.OpResult.ErrorResult(-2));
        MultiResponse failure = new MultiResponse(List.of(OpResult.error(0), OpResult.error(-103), OpResult.error(-2)));

        org.apache.zookeeper.MultiResponse apacheRead = new org.apache.zookeeper.MultiResponse();
        apacheRead.add(new org.apache.zookeeper.OpResult.GetDataResult(DATA, z(STAT)));
        apacheRead.add(new org.apache.zookeeper.OpResult.GetDataResult(null, z(ZERO_STAT)));
        apacheRead.add(new org.apache.zookeeper.OpResult.GetDataResult(EMPTY, z(ZERO_STAT)));
        apacheRead.add(new org.apache.zookeeper.OpResult.GetChildrenResult(List.of("a", "é")));
        apacheRead.add(new org.apache.zookeeper.OpResult.GetChildrenResult(List.of()));
        apacheRead.add(new org.apache.zookeeper.OpResult.ErrorResult(-101));
        MultiResponse read = new MultiResponse(List.of(
                new OpResult(OpCode.GET_DATA, 0, new GetDataResponse(DATA, STAT)),
                new OpResult(OpCode.GET_DATA, 0, new GetDataResponse(null, ZERO_STAT)),
                new OpResult(OpCode.GET_DATA, 0, new GetDataResponse(EMPTY, ZERO_STAT)),
                new OpResult(OpCode.GET_CHILDREN, 0, new GetChildrenResponse(List.of("a", "é"))),
                new OpResult(OpCode.GET_CHILDREN, 0, new GetChildrenResponse(List.of())),
                OpResult.error(-101)));

        return Stream.of(
                of("MultiResponse success of every write type", success, apacheSuccess, MultiResponse::readFrom),
                of("MultiResponse failed multi", failure, apacheFailure, MultiResponse::readFrom),
                of("MultiResponse multiRead", read, apacheRead, MultiResponse::readFrom),
                of("MultiResponse empty", new MultiResponse(List.of()), new org.apache.zookeeper.MultiResponse(),
                        MultiResponse::readFrom));
    }
}
