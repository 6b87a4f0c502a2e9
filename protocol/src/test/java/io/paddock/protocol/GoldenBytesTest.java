package io.paddock.protocol;

import static io.paddock.protocol.WireAssert.assertBytes;
import static io.paddock.protocol.WireAssert.assertDeepEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.jute.BinaryOutputArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record of the module, encoded by us and by Apache's generated jute classes: the bytes must
 * be identical, each side must decode the other's bytes to the same values, and every truncation
 * must be rejected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoldenBytesTest {
    private static final String CASES = "io.paddock.protocol.RecordCases#all";
    private static final String MULTI_CASES = "io.paddock.protocol.MultiCases#all";

    @ParameterizedTest(name = "{0}")
    @MethodSource({CASES, MULTI_CASES})
    void encodesExactlyLikeApache(GoldenCase c) {
        assertBytes(ApacheJute.serialize(c.theirs()), c.ours().toBytes(), c.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({CASES, MULTI_CASES})
    void decodesApacheBytesToTheSameFields(GoldenCase c) {
        JuteInput in = new JuteInput(ApacheJute.serialize(c.theirs()));
        Object decoded = c.reader().apply(in);
        assertEquals(0, in.remaining(), "bytes left unread");
        assertDeepEquals(c.ours(), decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({CASES, MULTI_CASES})
    void apacheDecodesOurBytesToTheSameFields(GoldenCase c) throws IOException {
        assertDeepEquals(c.theirs(), ApacheJute.deserialize(c.ours().toBytes(), c.theirs().getClass()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({CASES, MULTI_CASES})
    void everyTruncationIsRejectedLikeApache(GoldenCase c) {
        byte[] full = c.ours().toBytes();
        int shortest = c.lastByteOptional() ? full.length - 1 : full.length;
        for (int length = 0; length < shortest; length++) {
            byte[] prefix = Arrays.copyOf(full, length);
            int at = length;
            assertThrows(JuteException.class, () -> c.reader().apply(new JuteInput(prefix)),
                    () -> c.name() + " truncated to " + at + " bytes");
            assertThrows(IOException.class, () -> ApacheJute.deserialize(prefix, c.theirs().getClass()),
                    () -> "Apache accepted " + c.name() + " truncated to " + at + " bytes");
        }
    }

    static Stream<GoldenCase> handshakeCases() {
        return RecordCases.all().filter(GoldenCase::lastByteOptional);
    }

    /** Apache always writes readOnly; the older 36/44-byte forms are its bytes without the last one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("handshakeCases")
    void handshakeWithoutReadOnlyIsApacheBytesMinusTheLastByte(GoldenCase c) {
        byte[] apache = ApacheJute.serialize(c.theirs());
        byte[] withoutReadOnly = Arrays.copyOf(apache, apache.length - 1);
        Record ours = c.ours();
        Record oursWithout;
        if (ours instanceof ConnectRequest r) {
            oursWithout = new ConnectRequest(r.protocolVersion(), r.lastZxidSeen(), r.timeOut(), r.sessionId(),
                    r.passwd(), false, false);
        } else if (ours instanceof ConnectResponse r) {
            oursWithout = new ConnectResponse(r.protocolVersion(), r.timeOut(), r.sessionId(), r.passwd(), false, false);
        } else {
            throw new AssertionError("unexpected optional-tail record " + ours);
        }
        assertBytes(withoutReadOnly, oursWithout.toBytes(), c.name() + " without readOnly");

        JuteInput in = new JuteInput(withoutReadOnly);
        Object decoded = c.reader().apply(in);
        assertEquals(0, in.remaining());
        assertDeepEquals(oursWithout, decoded);
        assertFalse(decoded instanceof ConnectRequest r && r.readOnlyPresent());
        assertFalse(decoded instanceof ConnectResponse r && r.readOnlyPresent());
    }

    /**
     * create2 (15) inside a multi: no Op factory produces it and MultiOperationRecord re-types it to
     * create (1) when decoding, so compare with Apache's header and request records written in sequence.
     */
    @Test
    void create2InsideAMultiEncodesLikeApachesRecords() throws IOException {
        MultiRequest ours = new MultiRequest(List.of(
                new MultiOp(OpCode.CREATE2, new CreateRequest("/m/c2", Samples.DATA, Samples.ACLS, 2))));
        ByteArrayOutputStream apache = new ByteArrayOutputStream();
        BinaryOutputArchive archive = BinaryOutputArchive.getArchive(apache);
        new org.apache.zookeeper.proto.MultiHeader(OpCode.CREATE2, false, -1).serialize(archive, "h");
        new org.apache.zookeeper.proto.CreateRequest("/m/c2", Samples.DATA, Samples.zAcls(Samples.ACLS), 2)
                .serialize(archive, "op");
        new org.apache.zookeeper.proto.MultiHeader(-1, true, -1).serialize(archive, "end");
        assertBytes(apache.toByteArray(), ours.toBytes(), "multi with create2");
        assertDeepEquals(ours, MultiRequest.readFrom(new JuteInput(apache.toByteArray())));
    }
}
