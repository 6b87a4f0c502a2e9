package io.paddock.protocol;

import static io.paddock.protocol.GoldenCase.of;
import static io.paddock.protocol.Samples.ACLS;
import static io.paddock.protocol.Samples.DATA;
import static io.paddock.protocol.Samples.EMPTY;
import static io.paddock.protocol.Samples.PASSWORD;
import static io.paddock.protocol.Samples.PATH;
import static io.paddock.protocol.Samples.STAT;
import static io.paddock.protocol.Samples.UNICODE;
import static io.paddock.protocol.Samples.ZERO_STAT;
import static io.paddock.protocol.Samples.utf8;
import static io.paddock.protocol.Samples.z;
import static io.paddock.protocol.Samples.zAcls;
import static io.paddock.protocol.Samples.zInfos;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetAllChildrenNumberRequest;
import org.apache.zookeeper.proto.GetAllChildrenNumberResponse;
import org.apache.zookeeper.proto.GetChildren2Request;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.GetEphemeralsRequest;
import org.apache.zookeeper.proto.GetEphemeralsResponse;
import org.apache.zookeeper.proto.GetSASLRequest;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.ReconfigRequest;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetDataResponse;
import org.apache.zookeeper.proto.SetSASLResponse;
import org.apache.zookeeper.proto.SetWatches;
import org.apache.zookeeper.proto.SetWatches2;
import org.apache.zookeeper.proto.SyncRequest;
import org.apache.zookeeper.proto.SyncResponse;
import org.apache.zookeeper.proto.WatcherEvent;
import org.apache.zookeeper.proto.WhoAmIResponse;

/**
 * Every single (non-multi) record of the protocol module, each with sample values including
 * nulls, empties, non-ASCII text and negative numbers, paired with Apache's generated record.
 * Our records are named with their package because Apache's proto classes share the names.
 */
final class RecordCases {
    private RecordCases() {
    }

    static Stream<GoldenCase> all() {
        return Stream.of(common(), handshake(), writes(), reads(), watchesAndSession(), tightestVectors())
                .flatMap(s -> s);
    }

    private static Stream<GoldenCase> common() {
        io.paddock.protocol.Stat s = STAT;
        List<io.paddock.protocol.ClientInfo> infos = List.of(
                new io.paddock.protocol.ClientInfo("ip", "127.0.0.1"),
                new io.paddock.protocol.ClientInfo("super", ""),
                new io.paddock.protocol.ClientInfo(null, null),
                new io.paddock.protocol.ClientInfo("sasl", "zoë@EXAMPLE.COM"));
        return Stream.concat(Stream.of(
                of("Id world:anyone", new io.paddock.protocol.Id("world", "anyone"),
                        new org.apache.zookeeper.data.Id("world", "anyone"), io.paddock.protocol.Id::readFrom),
                of("Id null,null", new io.paddock.protocol.Id(null, null),
                        new org.apache.zookeeper.data.Id(null, null), io.paddock.protocol.Id::readFrom),
                of("Id empty,unicode", new io.paddock.protocol.Id("", "é中"),
                        new org.apache.zookeeper.data.Id("", "é中"), io.paddock.protocol.Id::readFrom),
                of("ACL all", ACLS.get(0), z(ACLS.get(0)), io.paddock.protocol.ACL::readFrom),
                of("ACL digest", ACLS.get(1), z(ACLS.get(1)), io.paddock.protocol.ACL::readFrom),
                of("ACL negative perms", ACLS.get(2), z(ACLS.get(2)), io.paddock.protocol.ACL::readFrom),
                of("ACL null id fields", ACLS.get(3), z(ACLS.get(3)), io.paddock.protocol.ACL::readFrom),
                of("Stat distinct fields", s, z(s), io.paddock.protocol.Stat::readFrom),
                of("Stat zero", ZERO_STAT, z(ZERO_STAT), io.paddock.protocol.Stat::readFrom),
                of("WatcherEvent NodeCreated", new io.paddock.protocol.WatcherEvent(1, 3, "/w/x"),
                        new WatcherEvent(1, 3, "/w/x"), io.paddock.protocol.WatcherEvent::readFrom),
                of("WatcherEvent negative, null path", new io.paddock.protocol.WatcherEvent(-1, -112, null),
                        new WatcherEvent(-1, -112, null), io.paddock.protocol.WatcherEvent::readFrom),
                of("WatcherEvent unicode path", new io.paddock.protocol.WatcherEvent(4, 3, UNICODE),
                        new WatcherEvent(4, 3, UNICODE), io.paddock.protocol.WatcherEvent::readFrom),
                of("ErrorResponse 0", new io.paddock.protocol.ErrorResponse(0),
                        new ErrorResponse(0), io.paddock.protocol.ErrorResponse::readFrom),
                of("ErrorResponse -101", new io.paddock.protocol.ErrorResponse(-101),
                        new ErrorResponse(-101), io.paddock.protocol.ErrorResponse::readFrom),
                of("ErrorResponse MIN", new io.paddock.protocol.ErrorResponse(Integer.MIN_VALUE),
                        new ErrorResponse(Integer.MIN_VALUE), io.paddock.protocol.ErrorResponse::readFrom),
                of("MultiHeader op", new io.paddock.protocol.MultiHeader(1, false, -1),
                        new MultiHeader(1, false, -1), io.paddock.protocol.MultiHeader::readFrom),
                of("MultiHeader terminator", new io.paddock.protocol.MultiHeader(-1, true, -1),
                        new MultiHeader(-1, true, -1), io.paddock.protocol.MultiHeader::readFrom),
                of("MultiHeader error result", new io.paddock.protocol.MultiHeader(-1, false, -103),
                        new MultiHeader(-1, false, -103), io.paddock.protocol.MultiHeader::readFrom),
                of("RequestHeader getData", new io.paddock.protocol.RequestHeader(5, 4),
                        new RequestHeader(5, 4), io.paddock.protocol.RequestHeader::readFrom),
                of("RequestHeader ping", new io.paddock.protocol.RequestHeader(-2, 11),
                        new RequestHeader(-2, 11), io.paddock.protocol.RequestHeader::readFrom),
                of("RequestHeader extremes", new io.paddock.protocol.RequestHeader(Integer.MAX_VALUE, -11),
                        new RequestHeader(Integer.MAX_VALUE, -11), io.paddock.protocol.RequestHeader::readFrom),
                of("ReplyHeader NoNode", new io.paddock.protocol.ReplyHeader(5, 0x12cL, -101),
                        new ReplyHeader(5, 0x12cL, -101), io.paddock.protocol.ReplyHeader::readFrom),
                of("ReplyHeader notification", new io.paddock.protocol.ReplyHeader(-1, -1L, 0),
                        new ReplyHeader(-1, -1L, 0), io.paddock.protocol.ReplyHeader::readFrom),
                of("ReplyHeader extremes", new io.paddock.protocol.ReplyHeader(Integer.MIN_VALUE, Long.MAX_VALUE, -127),
                        new ReplyHeader(Integer.MIN_VALUE, Long.MAX_VALUE, -127), io.paddock.protocol.ReplyHeader::readFrom)),
                infos.stream().map(info -> of("ClientInfo " + info.authScheme(), info, z(info),
                        io.paddock.protocol.ClientInfo::readFrom)));
    }

    private static Stream<GoldenCase> handshake() {
        return Stream.of(
                new GoldenCase("ConnectRequest new session",
                        new io.paddock.protocol.ConnectRequest(0, 0L, 30_000, 0L, new byte[16], false, true),
                        new ConnectRequest(0, 0L, 30_000, 0L, new byte[16], false),
                        io.paddock.protocol.ConnectRequest::readFrom, true),
                new GoldenCase("ConnectRequest reattach read-only",
                        new io.paddock.protocol.ConnectRequest(0, 0x1_0000_0042L, Integer.MAX_VALUE,
                                0x01000005d4fa0000L, PASSWORD, true, true),
                        new ConnectRequest(0, 0x1_0000_0042L, Integer.MAX_VALUE, 0x01000005d4fa0000L, PASSWORD, true),
                        io.paddock.protocol.ConnectRequest::readFrom, true),
                new GoldenCase("ConnectRequest negatives, null password",
                        new io.paddock.protocol.ConnectRequest(-1, -1L, -1, Long.MIN_VALUE, null, false, true),
                        new ConnectRequest(-1, -1L, -1, Long.MIN_VALUE, null, false),
                        io.paddock.protocol.ConnectRequest::readFrom, true),
                new GoldenCase("ConnectResponse new session",
                        new io.paddock.protocol.ConnectResponse(0, 30_000, 0x01000005d4fa0000L, PASSWORD, false, true),
                        new ConnectResponse(0, 30_000, 0x01000005d4fa0000L, PASSWORD, false),
                        io.paddock.protocol.ConnectResponse::readFrom, true),
                new GoldenCase("ConnectResponse invalid session",
                        io.paddock.protocol.ConnectResponse.invalidSession(false, true),
                        new ConnectResponse(0, 0, 0L, new byte[16], false),
                        io.paddock.protocol.ConnectResponse::readFrom, true),
                new GoldenCase("ConnectResponse read-only, negatives",
                        new io.paddock.protocol.ConnectResponse(-1, -1, -1L, EMPTY, true, true),
                        new ConnectResponse(-1, -1, -1L, EMPTY, true),
                        io.paddock.protocol.ConnectResponse::readFrom, true));
    }

    private static Stream<GoldenCase> writes() {
        return Stream.of(
                of("CreateRequest data+acls", new io.paddock.protocol.CreateRequest(PATH, DATA, ACLS, 0),
                        new CreateRequest(PATH, DATA, zAcls(ACLS), 0), io.paddock.protocol.CreateRequest::readFrom),
                of("CreateRequest null data, null acl", new io.paddock.protocol.CreateRequest(UNICODE, null, null, 3),
                        new CreateRequest(UNICODE, null, null, 3), io.paddock.protocol.CreateRequest::readFrom),
                of("CreateRequest empty data, empty acl, negative flags",
                        new io.paddock.protocol.CreateRequest(PATH, EMPTY, List.of(), -1),
                        new CreateRequest(PATH, EMPTY, List.of(), -1), io.paddock.protocol.CreateRequest::readFrom),
                of("CreateRequest null path", new io.paddock.protocol.CreateRequest(null, DATA, Acls.OPEN_ACL_UNSAFE, 4),
                        new CreateRequest(null, DATA, zAcls(Acls.OPEN_ACL_UNSAFE), 4),
                        io.paddock.protocol.CreateRequest::readFrom),
                of("CreateTTLRequest", new io.paddock.protocol.CreateTTLRequest(PATH, DATA, ACLS, 5, 1000L),
                        new CreateTTLRequest(PATH, DATA, zAcls(ACLS), 5, 1000L),
                        io.paddock.protocol.CreateTTLRequest::readFrom),
                of("CreateTTLRequest max ttl, null data", new io.paddock.protocol.CreateTTLRequest(
                                UNICODE, null, Acls.CREATOR_ALL_ACL, 6, 0xFF_FFFF_FFFFL),
                        new CreateTTLRequest(UNICODE, null, zAcls(Acls.CREATOR_ALL_ACL), 6, 0xFF_FFFF_FFFFL),
                        io.paddock.protocol.CreateTTLRequest::readFrom),
                of("CreateTTLRequest nulls, negative ttl", new io.paddock.protocol.CreateTTLRequest(
                                null, EMPTY, null, 0, -1L),
                        new CreateTTLRequest(null, EMPTY, null, 0, -1L), io.paddock.protocol.CreateTTLRequest::readFrom),
                of("CreateResponse", new io.paddock.protocol.CreateResponse("/p/0000000003"),
                        new CreateResponse("/p/0000000003"), io.paddock.protocol.CreateResponse::readFrom),
                of("CreateResponse unicode", new io.paddock.protocol.CreateResponse(UNICODE),
                        new CreateResponse(UNICODE), io.paddock.protocol.CreateResponse::readFrom),
                of("CreateResponse null", new io.paddock.protocol.CreateResponse(null),
                        new CreateResponse(null), io.paddock.protocol.CreateResponse::readFrom),
                of("Create2Response", new io.paddock.protocol.Create2Response(PATH, STAT),
                        new Create2Response(PATH, z(STAT)), io.paddock.protocol.Create2Response::readFrom),
                of("Create2Response null path", new io.paddock.protocol.Create2Response(null, ZERO_STAT),
                        new Create2Response(null, z(ZERO_STAT)), io.paddock.protocol.Create2Response::readFrom),
                of("DeleteRequest any version", new io.paddock.protocol.DeleteRequest(PATH, -1),
                        new DeleteRequest(PATH, -1), io.paddock.protocol.DeleteRequest::readFrom),
                of("DeleteRequest unicode", new io.paddock.protocol.DeleteRequest(UNICODE, 42),
                        new DeleteRequest(UNICODE, 42), io.paddock.protocol.DeleteRequest::readFrom),
                of("DeleteContainerRequest", new io.paddock.protocol.DeleteContainerRequest(PATH),
                        new org.apache.zookeeper.DeleteContainerRequest(PATH),
                        io.paddock.protocol.DeleteContainerRequest::readFrom),
                // Apache writes this path with String.getBytes(UTF_8), so even a non-BMP character agrees.
                of("DeleteContainerRequest unicode, non-BMP",
                        new io.paddock.protocol.DeleteContainerRequest(UNICODE + "\ud83d\ude00"),
                        new org.apache.zookeeper.DeleteContainerRequest(UNICODE + "\ud83d\ude00"),
                        io.paddock.protocol.DeleteContainerRequest::readFrom),
                of("SetDataRequest", new io.paddock.protocol.SetDataRequest(PATH, DATA, -1),
                        new SetDataRequest(PATH, DATA, -1), io.paddock.protocol.SetDataRequest::readFrom),
                of("SetDataRequest null data", new io.paddock.protocol.SetDataRequest(PATH, null, 0),
                        new SetDataRequest(PATH, null, 0), io.paddock.protocol.SetDataRequest::readFrom),
                of("SetDataRequest empty data", new io.paddock.protocol.SetDataRequest(UNICODE, EMPTY, Integer.MIN_VALUE),
                        new SetDataRequest(UNICODE, EMPTY, Integer.MIN_VALUE), io.paddock.protocol.SetDataRequest::readFrom),
                of("SetDataResponse", new io.paddock.protocol.SetDataResponse(STAT),
                        new SetDataResponse(z(STAT)), io.paddock.protocol.SetDataResponse::readFrom),
                of("SetACLRequest", new io.paddock.protocol.SetACLRequest(PATH, ACLS, -1),
                        new SetACLRequest(PATH, zAcls(ACLS), -1), io.paddock.protocol.SetACLRequest::readFrom),
                of("SetACLRequest null acl", new io.paddock.protocol.SetACLRequest(PATH, null, 3),
                        new SetACLRequest(PATH, null, 3), io.paddock.protocol.SetACLRequest::readFrom),
                of("SetACLRequest empty acl", new io.paddock.protocol.SetACLRequest(UNICODE, List.of(), 0),
                        new SetACLRequest(UNICODE, List.of(), 0), io.paddock.protocol.SetACLRequest::readFrom),
                of("SetACLResponse", new io.paddock.protocol.SetACLResponse(STAT),
                        new SetACLResponse(z(STAT)), io.paddock.protocol.SetACLResponse::readFrom),
                of("CheckVersionRequest", new io.paddock.protocol.CheckVersionRequest(PATH, 1),
                        new CheckVersionRequest(PATH, 1), io.paddock.protocol.CheckVersionRequest::readFrom),
                of("CheckVersionRequest negative", new io.paddock.protocol.CheckVersionRequest(UNICODE, -1),
                        new CheckVersionRequest(UNICODE, -1), io.paddock.protocol.CheckVersionRequest::readFrom),
                of("ReconfigRequest joining", new io.paddock.protocol.ReconfigRequest(
                                "server.4=127.0.0.1:2888:3888:participant;2181", null, null, -1L),
                        new ReconfigRequest("server.4=127.0.0.1:2888:3888:participant;2181", null, null, -1L),
                        io.paddock.protocol.ReconfigRequest::readFrom),
                of("ReconfigRequest leaving", new io.paddock.protocol.ReconfigRequest(null, "2,3", "", 0x1_0000_0003L),
                        new ReconfigRequest(null, "2,3", "", 0x1_0000_0003L),
                        io.paddock.protocol.ReconfigRequest::readFrom));
    }

    private static Stream<GoldenCase> reads() {
        List<String> children = List.of("a", "é b", "zookeeper", "0000000001");
        return Stream.of(
                of("ExistsRequest watch", new io.paddock.protocol.ExistsRequest(PATH, true),
                        new ExistsRequest(PATH, true), io.paddock.protocol.ExistsRequest::readFrom),
                of("ExistsRequest null path", new io.paddock.protocol.ExistsRequest(null, false),
                        new ExistsRequest(null, false), io.paddock.protocol.ExistsRequest::readFrom),
                of("ExistsResponse", new io.paddock.protocol.ExistsResponse(STAT),
                        new ExistsResponse(z(STAT)), io.paddock.protocol.ExistsResponse::readFrom),
                of("GetDataRequest", new io.paddock.protocol.GetDataRequest("/a", true),
                        new GetDataRequest("/a", true), io.paddock.protocol.GetDataRequest::readFrom),
                of("GetDataRequest unicode", new io.paddock.protocol.GetDataRequest(UNICODE, false),
                        new GetDataRequest(UNICODE, false), io.paddock.protocol.GetDataRequest::readFrom),
                of("GetDataResponse", new io.paddock.protocol.GetDataResponse(DATA, STAT),
                        new GetDataResponse(DATA, z(STAT)), io.paddock.protocol.GetDataResponse::readFrom),
                of("GetDataResponse null data", new io.paddock.protocol.GetDataResponse(null, STAT),
                        new GetDataResponse(null, z(STAT)), io.paddock.protocol.GetDataResponse::readFrom),
                of("GetDataResponse empty data", new io.paddock.protocol.GetDataResponse(EMPTY, ZERO_STAT),
                        new GetDataResponse(EMPTY, z(ZERO_STAT)), io.paddock.protocol.GetDataResponse::readFrom),
                of("GetACLRequest", new io.paddock.protocol.GetACLRequest(PATH),
                        new GetACLRequest(PATH), io.paddock.protocol.GetACLRequest::readFrom),
                of("GetACLResponse", new io.paddock.protocol.GetACLResponse(ACLS, STAT),
                        new GetACLResponse(zAcls(ACLS), z(STAT)), io.paddock.protocol.GetACLResponse::readFrom),
                of("GetACLResponse empty acl", new io.paddock.protocol.GetACLResponse(List.of(), ZERO_STAT),
                        new GetACLResponse(List.of(), z(ZERO_STAT)), io.paddock.protocol.GetACLResponse::readFrom),
                of("GetACLResponse null acl", new io.paddock.protocol.GetACLResponse(null, STAT),
                        new GetACLResponse(null, z(STAT)), io.paddock.protocol.GetACLResponse::readFrom),
                of("GetChildrenRequest", new io.paddock.protocol.GetChildrenRequest(PATH, true),
                        new GetChildrenRequest(PATH, true), io.paddock.protocol.GetChildrenRequest::readFrom),
                of("GetChildrenRequest null path", new io.paddock.protocol.GetChildrenRequest(null, false),
                        new GetChildrenRequest(null, false), io.paddock.protocol.GetChildrenRequest::readFrom),
                of("GetChildrenResponse", new io.paddock.protocol.GetChildrenResponse(children),
                        new GetChildrenResponse(children), io.paddock.protocol.GetChildrenResponse::readFrom),
                of("GetChildrenResponse empty", new io.paddock.protocol.GetChildrenResponse(List.of()),
                        new GetChildrenResponse(List.of()), io.paddock.protocol.GetChildrenResponse::readFrom),
                of("GetChildrenResponse null", new io.paddock.protocol.GetChildrenResponse(null),
                        new GetChildrenResponse(null), io.paddock.protocol.GetChildrenResponse::readFrom),
                of("GetChildrenResponse null and empty elements",
                        new io.paddock.protocol.GetChildrenResponse(Arrays.asList("x", null, "")),
                        new GetChildrenResponse(Arrays.asList("x", null, "")), io.paddock.protocol.GetChildrenResponse::readFrom),
                of("GetChildren2Request", new io.paddock.protocol.GetChildren2Request(UNICODE, true),
                        new GetChildren2Request(UNICODE, true), io.paddock.protocol.GetChildren2Request::readFrom),
                of("GetChildren2Response", new io.paddock.protocol.GetChildren2Response(children, STAT),
                        new GetChildren2Response(children, z(STAT)), io.paddock.protocol.GetChildren2Response::readFrom),
                of("GetChildren2Response null", new io.paddock.protocol.GetChildren2Response(null, ZERO_STAT),
                        new GetChildren2Response(null, z(ZERO_STAT)), io.paddock.protocol.GetChildren2Response::readFrom),
                of("GetChildren2Response empty", new io.paddock.protocol.GetChildren2Response(List.of(), STAT),
                        new GetChildren2Response(List.of(), z(STAT)), io.paddock.protocol.GetChildren2Response::readFrom),
                of("SyncRequest", new io.paddock.protocol.SyncRequest(PATH),
                        new SyncRequest(PATH), io.paddock.protocol.SyncRequest::readFrom),
                of("SyncRequest null", new io.paddock.protocol.SyncRequest(null),
                        new SyncRequest(null), io.paddock.protocol.SyncRequest::readFrom),
                of("SyncResponse", new io.paddock.protocol.SyncResponse(UNICODE),
                        new SyncResponse(UNICODE), io.paddock.protocol.SyncResponse::readFrom),
                of("SyncResponse null", new io.paddock.protocol.SyncResponse(null),
                        new SyncResponse(null), io.paddock.protocol.SyncResponse::readFrom),
                of("GetEphemeralsRequest", new io.paddock.protocol.GetEphemeralsRequest("/e/e"),
                        new GetEphemeralsRequest("/e/e"), io.paddock.protocol.GetEphemeralsRequest::readFrom),
                of("GetEphemeralsRequest null", new io.paddock.protocol.GetEphemeralsRequest(null),
                        new GetEphemeralsRequest(null), io.paddock.protocol.GetEphemeralsRequest::readFrom),
                of("GetEphemeralsRequest empty", new io.paddock.protocol.GetEphemeralsRequest(""),
                        new GetEphemeralsRequest(""), io.paddock.protocol.GetEphemeralsRequest::readFrom),
                of("GetEphemeralsResponse", new io.paddock.protocol.GetEphemeralsResponse(List.of("/e/1", UNICODE)),
                        new GetEphemeralsResponse(List.of("/e/1", UNICODE)),
                        io.paddock.protocol.GetEphemeralsResponse::readFrom),
                of("GetEphemeralsResponse empty", new io.paddock.protocol.GetEphemeralsResponse(List.of()),
                        new GetEphemeralsResponse(List.of()), io.paddock.protocol.GetEphemeralsResponse::readFrom),
                of("GetEphemeralsResponse null", new io.paddock.protocol.GetEphemeralsResponse(null),
                        new GetEphemeralsResponse(null), io.paddock.protocol.GetEphemeralsResponse::readFrom),
                of("GetAllChildrenNumberRequest", new io.paddock.protocol.GetAllChildrenNumberRequest("/"),
                        new GetAllChildrenNumberRequest("/"), io.paddock.protocol.GetAllChildrenNumberRequest::readFrom),
                of("GetAllChildrenNumberResponse", new io.paddock.protocol.GetAllChildrenNumberResponse(3),
                        new GetAllChildrenNumberResponse(3), io.paddock.protocol.GetAllChildrenNumberResponse::readFrom),
                of("GetAllChildrenNumberResponse negative", new io.paddock.protocol.GetAllChildrenNumberResponse(-1),
                        new GetAllChildrenNumberResponse(-1), io.paddock.protocol.GetAllChildrenNumberResponse::readFrom));
    }

    private static Stream<GoldenCase> watchesAndSession() {
        List<io.paddock.protocol.ClientInfo> infos = List.of(
                new io.paddock.protocol.ClientInfo("ip", "127.0.0.1"),
                new io.paddock.protocol.ClientInfo("digest", "alice"),
                new io.paddock.protocol.ClientInfo("super", ""));
        return Stream.of(
                of("CheckWatchesRequest", new io.paddock.protocol.CheckWatchesRequest(PATH, 1),
                        new CheckWatchesRequest(PATH, 1), io.paddock.protocol.CheckWatchesRequest::readFrom),
                of("CheckWatchesRequest bad type", new io.paddock.protocol.CheckWatchesRequest(UNICODE, -7),
                        new CheckWatchesRequest(UNICODE, -7), io.paddock.protocol.CheckWatchesRequest::readFrom),
                of("RemoveWatchesRequest", new io.paddock.protocol.RemoveWatchesRequest(PATH, 3),
                        new RemoveWatchesRequest(PATH, 3), io.paddock.protocol.RemoveWatchesRequest::readFrom),
                of("RemoveWatchesRequest recursive", new io.paddock.protocol.RemoveWatchesRequest(null, 5),
                        new RemoveWatchesRequest(null, 5), io.paddock.protocol.RemoveWatchesRequest::readFrom),
                of("AddWatchRequest persistent", new io.paddock.protocol.AddWatchRequest(PATH, 0),
                        new AddWatchRequest(PATH, 0), io.paddock.protocol.AddWatchRequest::readFrom),
                of("AddWatchRequest recursive", new io.paddock.protocol.AddWatchRequest(UNICODE, 1),
                        new AddWatchRequest(UNICODE, 1), io.paddock.protocol.AddWatchRequest::readFrom),
                of("AuthPacket digest", new io.paddock.protocol.AuthPacket(0, "digest", utf8("alice:secret")),
                        new AuthPacket(0, "digest", utf8("alice:secret")), io.paddock.protocol.AuthPacket::readFrom),
                of("AuthPacket null auth", new io.paddock.protocol.AuthPacket(0, "ip", null),
                        new AuthPacket(0, "ip", null), io.paddock.protocol.AuthPacket::readFrom),
                of("AuthPacket null scheme, empty auth", new io.paddock.protocol.AuthPacket(-4, null, EMPTY),
                        new AuthPacket(-4, null, EMPTY), io.paddock.protocol.AuthPacket::readFrom),
                of("SetWatches", new io.paddock.protocol.SetWatches(0x12cL, List.of("/a"), List.of("/b", UNICODE), List.of()),
                        new SetWatches(0x12cL, List.of("/a"), List.of("/b", UNICODE), List.of()),
                        io.paddock.protocol.SetWatches::readFrom),
                of("SetWatches nulls", new io.paddock.protocol.SetWatches(-1L, null, null, null),
                        new SetWatches(-1L, null, null, null), io.paddock.protocol.SetWatches::readFrom),
                of("SetWatches2", new io.paddock.protocol.SetWatches2(0x12cL, List.of("/a"), List.of(), List.of("/c"),
                                List.of("/p"), List.of("/r", "/r/é")),
                        new SetWatches2(0x12cL, List.of("/a"), List.of(), List.of("/c"), List.of("/p"), List.of("/r", "/r/é")),
                        io.paddock.protocol.SetWatches2::readFrom),
                of("SetWatches2 nulls", new io.paddock.protocol.SetWatches2(Long.MIN_VALUE, null, null, null, null, null),
                        new SetWatches2(Long.MIN_VALUE, null, null, null, null, null),
                        io.paddock.protocol.SetWatches2::readFrom),
                of("GetSASLRequest", new io.paddock.protocol.GetSASLRequest(DATA),
                        new GetSASLRequest(DATA), io.paddock.protocol.GetSASLRequest::readFrom),
                of("GetSASLRequest null", new io.paddock.protocol.GetSASLRequest(null),
                        new GetSASLRequest(null), io.paddock.protocol.GetSASLRequest::readFrom),
                of("GetSASLRequest empty", new io.paddock.protocol.GetSASLRequest(EMPTY),
                        new GetSASLRequest(EMPTY), io.paddock.protocol.GetSASLRequest::readFrom),
                of("SetSASLResponse", new io.paddock.protocol.SetSASLResponse(DATA),
                        new SetSASLResponse(DATA), io.paddock.protocol.SetSASLResponse::readFrom),
                of("SetSASLResponse null", new io.paddock.protocol.SetSASLResponse(null),
                        new SetSASLResponse(null), io.paddock.protocol.SetSASLResponse::readFrom),
                of("WhoAmIResponse", new io.paddock.protocol.WhoAmIResponse(infos),
                        new WhoAmIResponse(zInfos(infos)), io.paddock.protocol.WhoAmIResponse::readFrom),
                of("WhoAmIResponse empty", new io.paddock.protocol.WhoAmIResponse(List.of()),
                        new WhoAmIResponse(List.of()), io.paddock.protocol.WhoAmIResponse::readFrom),
                of("WhoAmIResponse null", new io.paddock.protocol.WhoAmIResponse(null),
                        new WhoAmIResponse(null), io.paddock.protocol.WhoAmIResponse::readFrom));
    }

    /**
     * Vectors of many smallest-possible elements (null strings, ACLs and ClientInfos of null
     * strings). JuteInput refuses counts that cannot fit in the remaining bytes; with 100 elements
     * and at most 72 trailing bytes, any over-estimate of an element's minimum size rejects these.
     */
    private static Stream<GoldenCase> tightestVectors() {
        int n = 100;
        List<String> nulls = Collections.nCopies(n, null);
        List<io.paddock.protocol.ACL> acls = Collections.nCopies(n,
                new io.paddock.protocol.ACL(0, new io.paddock.protocol.Id(null, null)));
        List<io.paddock.protocol.ClientInfo> infos = Collections.nCopies(n,
                new io.paddock.protocol.ClientInfo(null, null));
        return Stream.of(
                of("tightest CreateRequest", new io.paddock.protocol.CreateRequest(null, null, acls, 0),
                        new CreateRequest(null, null, zAcls(acls), 0), io.paddock.protocol.CreateRequest::readFrom),
                of("tightest CreateTTLRequest", new io.paddock.protocol.CreateTTLRequest(null, null, acls, 5, 1L),
                        new CreateTTLRequest(null, null, zAcls(acls), 5, 1L), io.paddock.protocol.CreateTTLRequest::readFrom),
                of("tightest SetACLRequest", new io.paddock.protocol.SetACLRequest(null, acls, 0),
                        new SetACLRequest(null, zAcls(acls), 0), io.paddock.protocol.SetACLRequest::readFrom),
                of("tightest GetACLResponse", new io.paddock.protocol.GetACLResponse(acls, STAT),
                        new GetACLResponse(zAcls(acls), z(STAT)), io.paddock.protocol.GetACLResponse::readFrom),
                of("tightest GetChildrenResponse", new io.paddock.protocol.GetChildrenResponse(nulls),
                        new GetChildrenResponse(nulls), io.paddock.protocol.GetChildrenResponse::readFrom),
                of("tightest GetChildren2Response", new io.paddock.protocol.GetChildren2Response(nulls, STAT),
                        new GetChildren2Response(nulls, z(STAT)), io.paddock.protocol.GetChildren2Response::readFrom),
                of("tightest GetEphemeralsResponse", new io.paddock.protocol.GetEphemeralsResponse(nulls),
                        new GetEphemeralsResponse(nulls), io.paddock.protocol.GetEphemeralsResponse::readFrom),
                of("tightest SetWatches", new io.paddock.protocol.SetWatches(0L, nulls, nulls, nulls),
                        new SetWatches(0L, nulls, nulls, nulls), io.paddock.protocol.SetWatches::readFrom),
                of("tightest SetWatches2", new io.paddock.protocol.SetWatches2(0L, nulls, nulls, nulls, nulls, nulls),
                        new SetWatches2(0L, nulls, nulls, nulls, nulls, nulls), io.paddock.protocol.SetWatches2::readFrom),
                of("tightest WhoAmIResponse", new io.paddock.protocol.WhoAmIResponse(infos),
                        new WhoAmIResponse(zInfos(infos)), io.paddock.protocol.WhoAmIResponse::readFrom));
    }
}
