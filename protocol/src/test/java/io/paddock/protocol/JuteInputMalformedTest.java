package io.paddock.protocol;

import static io.paddock.protocol.WireAssert.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.jute.BinaryInputArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JuteInput's handling of hostile input: it must fail with JuteException (never an unchecked
 * buffer exception, never a huge allocation) and otherwise read what Apache's reader reads.
 * The surefire heap is 1 GiB, so any attempt to size an array from a bogus count fails the test
 * with OutOfMemoryError instead of passing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JuteInputMalformedTest {

    private static byte[] intThen(int value, byte... rest) {
        return ByteBuffer.allocate(4 + rest.length).putInt(value).put(rest).array();
    }

    private static BinaryInputArchive apacheIn(byte[] bytes) {
        return BinaryInputArchive.getArchive(new ByteArrayInputStream(bytes));
    }

    @Test
    void truncatedPrimitives() {
        assertThrows(JuteException.class, () -> new JuteInput(new byte[0]).readByte());
        assertThrows(JuteException.class, () -> new JuteInput(new byte[0]).readBool());
        assertThrows(JuteException.class, () -> new JuteInput(new byte[3]).readInt());
        assertThrows(JuteException.class, () -> new JuteInput(new byte[7]).readLong());
        assertThrows(JuteException.class, () -> new JuteInput(new byte[2]).readBuffer());
        assertThrows(JuteException.class, () -> new JuteInput(new byte[2]).readString());
        assertThrows(JuteException.class, () -> new JuteInput(new byte[3]).readStringVector());
    }

    @Test
    void bodyShorterThanItsLength() {
        byte[] buffer = intThen(10, (byte) 1, (byte) 2, (byte) 3);
        assertThrows(JuteException.class, () -> new JuteInput(buffer).readBuffer());
        assertThrows(JuteException.class, () -> new JuteInput(buffer).readString());
        assertThrows(IOException.class, () -> apacheIn(buffer).readBuffer("b"));
        // A string vector whose second element is cut short.
        byte[] vector = hex("00 00 00 02  00 00 00 01 61  00 00 00 05 62 63");
        assertThrows(JuteException.class, () -> new JuteInput(vector).readStringVector());
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, -3, -100, Integer.MIN_VALUE})
    void lengthsBelowMinusOneAreRejectedLikeApache(int length) {
        byte[] bytes = intThen(length, new byte[16]);
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readBuffer());
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readString());
        assertThrows(IOException.class, () -> apacheIn(bytes).readBuffer("b"));
        assertThrows(IOException.class, () -> apacheIn(bytes).readString("s"));
        // and inside a record
        byte[] request = ByteBuffer.allocate(9).putInt(length).putInt(0).put((byte) 1).array();
        assertThrows(JuteException.class, () -> GetDataRequest.readFrom(new JuteInput(request)));
    }

    @Test
    void defaultLimitIsApachesMaxBufferPlusItsExtraSize() {
        assertEquals(BinaryInputArchive.maxBuffer * 2, JuteInput.DEFAULT_MAX_FIELD_BYTES);
        assertEquals(2_097_150, JuteInput.DEFAULT_MAX_FIELD_BYTES);
    }

    @Test
    void lengthAboveTheDefaultLimitIsRejectedBeforeReadingTheBody() {
        int tooLong = JuteInput.DEFAULT_MAX_FIELD_BYTES + 1;
        byte[] bytes = new byte[4 + tooLong];
        ByteBuffer.wrap(bytes).putInt(tooLong);
        JuteException e = assertThrows(JuteException.class, () -> new JuteInput(bytes).readBuffer());
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readString());
        assertThrows(IOException.class, () -> apacheIn(bytes).readBuffer("b"));
    }

    @Test
    void lengthExactlyAtTheDefaultLimitIsAccepted() throws IOException {
        int limit = JuteInput.DEFAULT_MAX_FIELD_BYTES;
        byte[] bytes = new byte[4 + limit];
        ByteBuffer.wrap(bytes).putInt(limit);
        bytes[bytes.length - 1] = 9;
        byte[] ours = new JuteInput(bytes).readBuffer();
        assertEquals(limit, ours.length);
        assertEquals(9, ours[limit - 1]);
        assertEquals(limit, apacheIn(bytes).readBuffer("b").length);
    }

    @Test
    void configuredLimitAgreesWithApachesArchive() throws IOException {
        byte[] ten = intThen(10, new byte[10]);
        byte[] eleven = intThen(11, new byte[11]);
        assertEquals(10, new JuteInput(ByteBuffer.wrap(ten), 10).readBuffer().length);
        assertThrows(JuteException.class, () -> new JuteInput(ByteBuffer.wrap(eleven), 10).readBuffer());
        assertThrows(JuteException.class, () -> new JuteInput(ByteBuffer.wrap(eleven), 10).readString());
        // Apache's limit is maxBuffer + extra.
        assertEquals(10, new BinaryInputArchive(new DataInputStream(new ByteArrayInputStream(ten)), 5, 5)
                .readBuffer("b").length);
        assertThrows(IOException.class, () -> new BinaryInputArchive(
                new DataInputStream(new ByteArrayInputStream(eleven)), 5, 5).readBuffer("b"));
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, 0x10000000})
    void hugeLengthsFailWithoutAllocating(int length) {
        byte[] bytes = intThen(length, new byte[8]);
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readBuffer());
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readString());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, 0x10000000, 268_435_456, 5})
    void vectorCountsThatCannotFitFailWithoutAllocating(int count) {
        byte[] bytes = intThen(count, new byte[16]); // room for at most 4 strings / 1 ACL / 2 ClientInfos
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readStringVector());
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readRecordVector(ACL::readFrom, 12));
        assertThrows(JuteException.class, () -> new JuteInput(bytes).readRecordVector(ClientInfo::readFrom, 8));
        assertThrows(JuteException.class, () -> GetChildrenResponse.readFrom(new JuteInput(bytes)));
        assertThrows(JuteException.class, () -> WhoAmIResponse.readFrom(new JuteInput(bytes)));
        assertThrows(JuteException.class, () -> SetWatches.readFrom(new JuteInput(
                ByteBuffer.allocate(8 + bytes.length).putLong(0).put(bytes).array())));
        byte[] acl = ByteBuffer.allocate(4 + 4 + bytes.length).putInt(-1).putInt(-1).put(bytes).array();
        assertThrows(JuteException.class, () -> CreateRequest.readFrom(new JuteInput(acl)));
        assertThrows(JuteException.class, () -> SetACLRequest.readFrom(new JuteInput(
                ByteBuffer.allocate(4 + bytes.length).putInt(-1).put(bytes).array())));
    }

    /** The count guard uses each element's smallest encoding, so the tightest legal vectors still decode. */
    @Test
    void vectorsOfMinimalElementsExactlyFillingTheInputAreAccepted() {
        byte[] nullStrings = hex("00 00 00 03  ff ff ff ff  ff ff ff ff  ff ff ff ff");
        List<String> strings = new JuteInput(nullStrings).readStringVector();
        assertEquals(3, strings.size());
        strings.forEach(s -> assertNull(s));

        byte[] nullAcls = hex("00 00 00 02  00 00 00 1f ff ff ff ff ff ff ff ff  00 00 00 01 ff ff ff ff ff ff ff ff");
        assertEquals(List.of(new ACL(31, new Id(null, null)), new ACL(1, new Id(null, null))),
                new JuteInput(nullAcls).readRecordVector(ACL::readFrom, 12));

        byte[] nullInfos = hex("00 00 00 01  ff ff ff ff ff ff ff ff");
        assertEquals(List.of(new ClientInfo(null, null)), WhoAmIResponse.readFrom(new JuteInput(nullInfos)).clientInfo());
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, -5, -1000, Integer.MIN_VALUE})
    void negativeCountsOtherThanMinusOneReadAsEmptyLikeApache(int count) throws IOException {
        byte[] bytes = intThen(count);
        assertEquals(List.of(), new JuteInput(bytes).readStringVector());
        assertEquals(List.of(), new JuteInput(bytes).readRecordVector(ACL::readFrom, 12));
        assertEquals(List.of(), GetChildrenResponse.readFrom(new JuteInput(bytes)).children());

        org.apache.zookeeper.proto.GetChildrenResponse apache = ApacheJute.deserialize(bytes,
                org.apache.zookeeper.proto.GetChildrenResponse.class);
        assertEquals(List.of(), apache.getChildren());

        // CreateRequest { "/a", null data, acl count, flags 0 }
        byte[] acl = ByteBuffer.allocate(6 + 4 + 4 + 4).putInt(2).put((byte) '/').put((byte) 'a')
                .putInt(-1).putInt(count).putInt(0).array();
        CreateRequest create = CreateRequest.readFrom(new JuteInput(acl));
        assertEquals(List.of(), create.acl());
        assertNull(create.data());
        assertEquals(List.of(), ApacheJute.deserialize(acl, org.apache.zookeeper.proto.CreateRequest.class).getAcl());
    }

    @Test
    void minusOneCountIsNull() {
        assertNull(new JuteInput(intThen(-1)).readStringVector());
        assertNull(GetACLResponse.readFrom(new JuteInput(
                ByteBuffer.allocate(72).putInt(-1).put(Samples.STAT.toBytes()).array())).acl());
    }

    @Test
    void multiRequestRejectsOpsThatNoMultiMayCarry() {
        for (int type : new int[] {OpCode.EXISTS, OpCode.DELETE_CONTAINER, OpCode.SYNC, OpCode.MULTI, 99, 0, -11}) {
            JuteOutput out = new JuteOutput();
            new MultiHeader(type, false, -1).writeTo(out);
            new SyncRequest("/a").writeTo(out);
            new MultiHeader(-1, true, -1).writeTo(out);
            byte[] bytes = out.toByteArray();
            assertThrows(JuteException.class, () -> MultiRequest.readFrom(new JuteInput(bytes)), "op type " + type);
        }
    }

    @Test
    void multiResponseRejectsUnknownResultTypes() {
        byte[] bytes = hex("00 00 00 03 00 00 00 00 00  ff ff ff ff 01 ff ff ff ff");
        assertThrows(JuteException.class, () -> MultiResponse.readFrom(new JuteInput(bytes)));
    }

    @Test
    void multiWithoutTerminatorIsTruncated() {
        byte[] oneOp = new MultiRequest(List.of(new MultiOp(OpCode.DELETE, new DeleteRequest("/a", -1)))).toBytes();
        byte[] noTerminator = Arrays.copyOf(oneOp, oneOp.length - 9);
        assertThrows(JuteException.class, () -> MultiRequest.readFrom(new JuteInput(noTerminator)));
    }

    /** Random junk may fail only with JuteException; a BufferUnderflowException or OOM fails the test. */
    @Test
    void recordsNeverLeakUncheckedBufferExceptions() {
        List<Function<JuteInput, ?>> readers = List.of(ConnectRequest::readFrom, CreateRequest::readFrom,
                CreateTTLRequest::readFrom, SetWatches2::readFrom, MultiRequest::readFrom, MultiResponse::readFrom,
                GetChildren2Response::readFrom, WhoAmIResponse::readFrom, ReconfigRequest::readFrom);
        Random random = new Random(20240601L);
        for (int round = 0; round < 20_000; round++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            // Bias lengths and counts toward the interesting small and negative values.
            for (int i = 0; i + 4 <= junk.length; i += 4) {
                if (random.nextInt(3) == 0) {
                    ByteBuffer.wrap(junk, i, 4).putInt(random.nextInt(8) - 3);
                }
            }
            for (Function<JuteInput, ?> reader : readers) {
                try {
                    reader.apply(new JuteInput(junk));
                } catch (JuteException expected) {
                    // the only acceptable failure
                }
            }
        }
    }
}
