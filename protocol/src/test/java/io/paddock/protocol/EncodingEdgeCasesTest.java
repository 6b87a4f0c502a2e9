package io.paddock.protocol;

import static io.paddock.protocol.WireAssert.assertBytes;
import static io.paddock.protocol.WireAssert.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Primitive encodings: null versus empty, text encoding, negative numbers, reader quirks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EncodingEdgeCasesTest {

    private static byte[] ours(Consumer<JuteOutput> writes) {
        JuteOutput out = new JuteOutput(1);
        writes.accept(out);
        return out.toByteArray();
    }

    private interface ApacheWrites {
        void write(BinaryOutputArchive archive) throws IOException;
    }

    private static byte[] apache(ApacheWrites writes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writes.write(BinaryOutputArchive.getArchive(bytes));
        return bytes.toByteArray();
    }

    private static BinaryInputArchive apacheIn(byte[] bytes) {
        return BinaryInputArchive.getArchive(new ByteArrayInputStream(bytes));
    }

    @Test
    void nullAndEmptyBuffersAreDistinctOnTheWireAndWhenRead() throws IOException {
        byte[] nullBuffer = ours(o -> o.writeBuffer(null));
        byte[] emptyBuffer = ours(o -> o.writeBuffer(new byte[0]));
        assertBytes(hex("ff ff ff ff"), nullBuffer, "null buffer");
        assertBytes(hex("00 00 00 00"), emptyBuffer, "empty buffer");
        assertBytes(apache(a -> a.writeBuffer(null, "b")), nullBuffer, "Apache null buffer");
        assertBytes(apache(a -> a.writeBuffer(new byte[0], "b")), emptyBuffer, "Apache empty buffer");

        assertNull(new JuteInput(nullBuffer).readBuffer());
        byte[] empty = new JuteInput(emptyBuffer).readBuffer();
        assertNotNull(empty);
        assertEquals(0, empty.length);
    }

    @Test
    void nullAndEmptyDataSurviveARecordRoundTrip() {
        GetDataResponse nullData = GetDataResponse.readFrom(new JuteInput(
                new GetDataResponse(null, Samples.STAT).toBytes()));
        GetDataResponse emptyData = GetDataResponse.readFrom(new JuteInput(
                new GetDataResponse(new byte[0], Samples.STAT).toBytes()));
        assertNull(nullData.data());
        assertArrayEquals(new byte[0], emptyData.data());
        SetDataRequest set = SetDataRequest.readFrom(new JuteInput(new SetDataRequest("/a", null, -1).toBytes()));
        assertNull(set.data());
    }

    @Test
    void nullAndEmptyStringsAreDistinct() throws IOException {
        byte[] nullString = ours(o -> o.writeString(null));
        byte[] emptyString = ours(o -> o.writeString(""));
        assertBytes(hex("ff ff ff ff"), nullString, "null string");
        assertBytes(hex("00 00 00 00"), emptyString, "empty string");
        assertBytes(apache(a -> a.writeString(null, "s")), nullString, "Apache null string");
        assertBytes(apache(a -> a.writeString("", "s")), emptyString, "Apache empty string");
        assertNull(new JuteInput(nullString).readString());
        assertEquals("", new JuteInput(emptyString).readString());
    }

    @Test
    void nullAndEmptyVectorsAreDistinct() {
        assertBytes(hex("ff ff ff ff"), ours(o -> o.writeStringVector(null)), "null string vector");
        assertBytes(hex("00 00 00 00"), ours(o -> o.writeStringVector(List.of())), "empty string vector");
        assertBytes(hex("ff ff ff ff"), ours(o -> o.writeRecordVector(null)), "null record vector");
        assertBytes(hex("00 00 00 00"), ours(o -> o.writeRecordVector(List.of())), "empty record vector");

        assertNull(new JuteInput(hex("ff ff ff ff")).readStringVector());
        assertEquals(List.of(), new JuteInput(hex("00 00 00 00")).readStringVector());
        assertNull(new JuteInput(hex("ff ff ff ff")).readRecordVector(ACL::readFrom, 12));
        assertEquals(List.of(), new JuteInput(hex("00 00 00 00")).readRecordVector(ACL::readFrom, 12));
    }

    @Test
    void knownTextEncodings() {
        assertBytes(hex("00 00 00 02 2f 61"), ours(o -> o.writeString("/a")), "ASCII");
        assertBytes(hex("00 00 00 02 c3 a9"), ours(o -> o.writeString("é")), "2-byte UTF-8");
        assertBytes(hex("00 00 00 06 e4 b8 ad e6 96 87"), ours(o -> o.writeString("中文")), "3-byte UTF-8");
        // U+0000 is a single zero byte (not Java's modified-UTF-8 C0 80), as Apache writes it.
        assertBytes(hex("00 00 00 03 61 00 62"), ours(o -> o.writeString("a\u0000b")), "NUL");
        assertBytes(hex("00 00 00 04 f0 9f 98 80"), ours(o -> o.writeString("\ud83d\ude00")),
                "non-BMP as standard 4-byte UTF-8");
        assertEquals("é中文\u0000\ud83d\ude00", new JuteInput(ours(o -> o.writeString("é中文\u0000\ud83d\ude00")))
                .readString());
    }

    /** Apache encodes each UTF-16 unit on its own; for every non-surrogate BMP character that is UTF-8. */
    @Test
    void everyBmpCharacterOutsideTheSurrogatesEncodesLikeApache() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            if (!Character.isSurrogate((char) c)) {
                all.append((char) c);
            }
        }
        String text = all.toString();
        byte[] ourBytes = ours(o -> o.writeString(text));
        assertArrayEquals(apache(a -> a.writeString(text, "s")), ourBytes);
        assertEquals(text, new JuteInput(ourBytes).readString());
        assertEquals(text, apacheIn(ourBytes).readString("s"));
    }

    /**
     * Outside the BMP we emit standard UTF-8 where Apache's writer emits two 3-byte surrogate
     * encodings. Apache's reader understands ours; for Apache's form our reader must at least agree
     * with Apache's reader (both decode it with a standard UTF-8 decoder).
     */
    @Test
    void nonBmpCharactersAreStandardUtf8AndApacheFormIsReadLikeApacheReadsIt() throws IOException {
        String grin = "x\ud83d\ude00y";
        byte[] ourBytes = ours(o -> o.writeString(grin));
        byte[] apacheBytes = apache(a -> a.writeString(grin, "s"));
        assertBytes(hex("00 00 00 06 78 f0 9f 98 80 79"), ourBytes, "ours");
        assertBytes(hex("00 00 00 08 78 ed a0 bd ed b8 80 79"), apacheBytes, "Apache's surrogate form");

        assertEquals(grin, apacheIn(ourBytes).readString("s"));
        String apacheReading = apacheIn(apacheBytes).readString("s");
        assertEquals(apacheReading, new JuteInput(apacheBytes).readString());
        assertTrue(apacheReading.startsWith("x") && apacheReading.endsWith("y"));
    }

    /** A lone surrogate cannot be standard UTF-8; Java's encoder substitutes '?'. */
    @Test
    void loneSurrogateIsReplacedNotEncoded() {
        assertBytes(hex("00 00 00 03 61 3f 62"), ours(o -> o.writeString("a\ud800b")), "lone surrogate");
    }

    @Test
    void negativeAndExtremeNumbersMatchApache() throws IOException {
        int[] ints = {0, 1, -1, -2, -101, 0x7f, 0x80, 0xff, Integer.MAX_VALUE, Integer.MIN_VALUE};
        long[] longs = {0L, -1L, -2L, 0x12cL, Long.MAX_VALUE, Long.MIN_VALUE, 0xFF00000000000000L, 0x80000000L};
        byte[] ourBytes = ours(o -> {
            for (int i : ints) {
                o.writeInt(i);
                o.writeByte(i);
            }
            for (long l : longs) {
                o.writeLong(l);
            }
            o.writeBool(true);
            o.writeBool(false);
        });
        byte[] apacheBytes = apache(a -> {
            for (int i : ints) {
                a.writeInt(i, "i");
                a.writeByte((byte) i, "b");
            }
            for (long l : longs) {
                a.writeLong(l, "l");
            }
            a.writeBool(true, "t");
            a.writeBool(false, "f");
        });
        assertBytes(apacheBytes, ourBytes, "primitives");
        assertBytes(hex("ff ff ff ff ff ff ff fe"), ours(o -> o.writeLong(-2L)), "long -2");
        assertBytes(hex("80 00 00 00"), ours(o -> o.writeInt(Integer.MIN_VALUE)), "int MIN");

        JuteInput in = new JuteInput(ourBytes);
        for (int i : ints) {
            assertEquals(i, in.readInt());
            assertEquals((byte) i, in.readByte());
        }
        for (long l : longs) {
            assertEquals(l, in.readLong());
        }
        assertTrue(in.readBool());
        assertFalse(in.readBool());
        assertEquals(0, in.remaining());
    }

    @Test
    void anyNonZeroByteReadsAsTrueLikeApache() throws IOException {
        for (int b : new int[] {0x01, 0x02, 0x7f, 0x80, 0xff}) {
            byte[] bytes = {(byte) b};
            assertTrue(new JuteInput(bytes).readBool(), "byte " + b);
            assertTrue(apacheIn(bytes).readBool("b"), "Apache byte " + b);
        }
        assertFalse(new JuteInput(new byte[] {0}).readBool());
        byte[] request = hex("00 00 00 02 2f 61 02");
        assertTrue(GetDataRequest.readFrom(new JuteInput(request)).watch());
        byte[] handshake = new ConnectRequest(0, 0, 30_000, 0, new byte[16], true, true).toBytes();
        handshake[handshake.length - 1] = (byte) 0x80;
        ConnectRequest decoded = ConnectRequest.readFrom(new JuteInput(handshake));
        assertTrue(decoded.readOnly() && decoded.readOnlyPresent());
    }

    @Test
    void trailingBytesAreLeftUnread() {
        JuteInput in = new JuteInput(hex("00 00 00 02 2f 61 01 de ad"));
        assertEquals(new ExistsRequest("/a", true), ExistsRequest.readFrom(in));
        assertEquals(2, in.remaining());
    }

    @Test
    void readsFromSlicedHeapAndDirectBuffers() {
        byte[] record = new CreateRequest("/é/x", Samples.DATA, Samples.ACLS, 2).toBytes();
        byte[] padded = new byte[record.length + 7];
        System.arraycopy(record, 0, padded, 5, record.length);
        ByteBuffer slice = ByteBuffer.wrap(padded, 5, record.length).slice();
        ByteBuffer direct = ByteBuffer.allocateDirect(record.length).put(record).flip();
        for (ByteBuffer buffer : List.of(slice, direct)) {
            CreateRequest decoded = CreateRequest.readFrom(new JuteInput(buffer));
            assertEquals("/é/x", decoded.path());
            assertArrayEquals(Samples.DATA, decoded.data());
            assertEquals(Samples.ACLS, decoded.acl());
            assertEquals(2, decoded.flags());
            assertEquals(0, buffer.remaining());
        }
    }

    @Test
    void outputGrowsPastItsInitialCapacityAndPatchesLengths() {
        JuteOutput out = new JuteOutput(0);
        out.writeInt(0);
        byte[] big = new byte[100_000];
        big[99_999] = 42;
        new SetDataRequest("/big", big, 7).writeTo(out);
        out.setInt(0, out.size() - 4);
        byte[] frame = out.toByteArray();
        JuteInput in = new JuteInput(frame);
        assertEquals(frame.length - 4, in.readInt());
        SetDataRequest decoded = SetDataRequest.readFrom(in);
        assertArrayEquals(big, decoded.data());
        assertEquals(7, decoded.version());
        assertThrows(IndexOutOfBoundsException.class, () -> out.setInt(out.size() - 3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> out.setInt(-1, 1));
    }

    @Test
    void stringLengthIsAByteCountNotACharacterCount() {
        String text = "é中\ud83d\ude00";
        byte[] bytes = ours(o -> o.writeString(text));
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, ByteBuffer.wrap(bytes).getInt());
        assertEquals(2 + 3 + 4, ByteBuffer.wrap(bytes).getInt());
    }

    @Test
    void statIsAlwaysSixtyEightBytes() {
        assertEquals(68, Samples.STAT.toBytes().length);
        assertEquals(68, Samples.ZERO_STAT.toBytes().length);
        assertEquals(hex(ApacheJute.serialize(Samples.z(Samples.STAT))), hex(Samples.STAT.toBytes()));
    }
}
