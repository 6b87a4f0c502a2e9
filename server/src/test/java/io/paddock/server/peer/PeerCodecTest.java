package io.paddock.server.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.Zxid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every message survives encoding; bad input fails with a clear exception, never a huge allocation. */
@Timeout(60)
class PeerCodecTest {
    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Every message type and every body, with empty, small and (wrapped, not copied) big byte arrays. */
    static List<Msg> allMessages() {
        List<Msg> all = new ArrayList<>();
        for (ServerState state : ServerState.values()) {
            all.add(new Msg.Vote(3, 0x5_0000_0007L, 5, 12, state));
        }
        all.add(new Msg.Vote(-1, -1, -1, 3, ServerState.LOOKING)); // a looking observer's
        all.add(new Msg.Vote(Long.MIN_VALUE, Zxid.make(Zxid.MAX_EPOCH, 0xFFFF_FFFFL), Zxid.MAX_EPOCH, Long.MAX_VALUE,
                ServerState.LOOKING));
        List<Msg.Body> bodies = List.of(
                new Msg.FollowerInfo(4, 3, 0x3_0000_0010L, false),
                new Msg.FollowerInfo(4, 3, 0x3_0000_0010L, true),
                new Msg.LeaderInfo(5),
                new Msg.AckEpoch(4, 0x4_0000_0001L, 0x3_0000_0007L),
                new Msg.Diff(0x4_0000_0002L),
                new Msg.Trunc(0x4_0000_0003L),
                new Msg.Snap(0x4_0000_0004L, new byte[0]),
                new Msg.Snap(0x4_0000_0004L, bytes(10, 1)),
                new Msg.Snap(0x4_0000_0004L, bytes(3 << 20, 2)),
                new Msg.Propose(new Entry(0x5_0000_0001L, new byte[0], null)),
                new Msg.Propose(new Entry(0x5_0000_0001L, bytes(100, 3), null)),
                new Msg.Propose(new Entry(0x5_0000_0001L, bytes(1 << 20, 4), null)),
                new Msg.Commit(0x5_0000_0001L),
                new Msg.Inform(new Entry(0x5_0000_0002L, bytes(7, 5), null)),
                new Msg.Inform(new Entry(0x5_0000_0002L, bytes(5000, 6), null)),
                new Msg.NewLeader(5),
                new Msg.AckNewLeader(5),
                new Msg.Ack(0x5_0000_0002L),
                new Msg.UpToDate(),
                new Msg.Ping(),
                new Msg.Request(new byte[0]),
                new Msg.Request(bytes(64, 7)),
                new Msg.Request(bytes(1025, 8)),
                new Msg.Reply(new byte[0]),
                new Msg.Reply(bytes(2000, 9)));
        long seq = 1;
        for (Msg.Body body : bodies) {
            all.add(new Msg.Link(0x1234_5678_9ABCL, seq++, body));
        }
        return all;
    }

    /** Records compare arrays by identity, so compare the byte payloads by content. */
    static void assertSameMsg(Msg expected, Msg actual) {
        if (expected instanceof Msg.Vote) {
            assertEquals(expected, actual);
            return;
        }
        Msg.Link e = (Msg.Link) expected;
        Msg.Link a = (Msg.Link) actual;
        assertEquals(e.link(), a.link());
        assertEquals(e.seq(), a.seq());
        assertEquals(e.body().getClass(), a.body().getClass());
        if (e.body() instanceof Msg.Snap s) {
            assertEquals(s.zxid(), ((Msg.Snap) a.body()).zxid());
            assertArrayEquals(s.data(), ((Msg.Snap) a.body()).data());
        } else if (e.body() instanceof Msg.Propose p) {
            assertSameEntry(p.entry(), ((Msg.Propose) a.body()).entry());
        } else if (e.body() instanceof Msg.Inform i) {
            assertSameEntry(i.entry(), ((Msg.Inform) a.body()).entry());
        } else if (e.body() instanceof Msg.Request r) {
            assertArrayEquals(r.payload(), ((Msg.Request) a.body()).payload());
        } else if (e.body() instanceof Msg.Reply r) {
            assertArrayEquals(r.payload(), ((Msg.Reply) a.body()).payload());
        } else {
            assertEquals(e, a);
        }
    }

    private static void assertSameEntry(Entry expected, Entry actual) {
        assertEquals(expected.zxid(), actual.zxid());
        assertArrayEquals(expected.data(), actual.data());
        assertNull(actual.local());
    }

    @Test
    void everyMessageRoundTrips() throws Exception {
        for (Msg msg : allMessages()) {
            byte[] encoded = PeerCodec.toBytes(msg);
            assertEquals(encoded.length, PeerCodec.encodedSize(msg), () -> "size of " + msg);
            assertSameMsg(msg, PeerCodec.fromBytes(encoded));

            // The pooled path the transport uses, with big arrays wrapped instead of copied.
            ByteBuf buf = PeerCodec.encode(msg, PooledByteBufAllocator.DEFAULT);
            try {
                assertEquals(encoded.length, buf.readableBytes());
                assertSameMsg(msg, PeerCodec.decode(buf));
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void theLocalObjectOfAnEntryStaysHome() throws Exception {
        Entry entry = new Entry(0x2_0000_0001L, new byte[] {1, 2, 3}, new Object());
        Msg.Link decoded = (Msg.Link) PeerCodec.fromBytes(PeerCodec.toBytes(new Msg.Link(1, 1, new Msg.Propose(entry))));
        Entry got = ((Msg.Propose) decoded.body()).entry();
        assertNull(got.local());
        assertArrayEquals(entry.data(), got.data());
    }

    @Test
    void everyTruncationIsMalformed() {
        for (Msg msg : allMessages()) {
            byte[] encoded = PeerCodec.toBytes(msg);
            // Every prefix for small messages; for big ones the interesting cut points around the header.
            for (int cut = 0; cut < encoded.length; cut = cut < 200 ? cut + 1 : cut + 4099) {
                byte[] prefix = Arrays.copyOf(encoded, cut);
                assertThrows(PeerCodec.MalformedException.class, () -> PeerCodec.fromBytes(prefix),
                        "prefix of " + cut + " bytes of " + msg);
            }
            byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
            assertThrows(PeerCodec.MalformedException.class, () -> PeerCodec.fromBytes(longer), "trailing byte after " + msg);
        }
    }

    @Test
    void badTagsAndValuesAreMalformed() {
        assertMalformed("unknown message tag", new byte[] {99});
        assertMalformed("unknown link body tag", Unpooled.buffer().writeByte(2).writeLong(1).writeLong(1).writeByte(77));
        assertMalformed("unknown server state", Unpooled.buffer().writeByte(1).writeLong(1).writeLong(1).writeLong(1)
                .writeLong(1).writeByte(9));
        assertMalformed("boolean byte", Unpooled.buffer().writeByte(2).writeLong(1).writeLong(1).writeByte(1)
                .writeLong(1).writeLong(1).writeLong(1).writeByte(2));
        assertMalformed("non-positive zxid", Unpooled.buffer().writeByte(2).writeLong(1).writeLong(1).writeByte(7)
                .writeLong(0).writeInt(0));
        assertMalformed("byte array of -1 bytes", Unpooled.buffer().writeByte(2).writeLong(1).writeLong(1).writeByte(15)
                .writeInt(-1));
    }

    /** The forged-epoch attack: one FollowerInfo claiming epoch 2^32-1 must not become the ensemble's epoch. */
    @Test
    void epochsAndZxidsOutOfRangeAreMalformed() {
        long tooBig = Zxid.MAX_EPOCH + 1;
        long zxidTooBig = tooBig << 32;
        assertMalformed("accepted epoch 4294967295 out of range", link(new Msg.FollowerInfo(0xFFFF_FFFFL, 1, 1, false)));
        assertMalformed("accepted epoch -1 out of range", link(new Msg.FollowerInfo(-1, 1, 1, false)));
        assertMalformed("current epoch " + tooBig + " out of range", link(new Msg.FollowerInfo(1, tooBig, 1, false)));
        assertMalformed("current epoch 5 above accepted epoch 4", link(new Msg.FollowerInfo(4, 5, 0x4_0000_0001L, false)));
        assertMalformed("of an epoch above current epoch 3", link(new Msg.FollowerInfo(4, 3, 0x4_0000_0001L, false)));
        assertMalformed("last zxid 0x" + Long.toHexString(zxidTooBig) + " out of range",
                link(new Msg.FollowerInfo(4, 3, zxidTooBig, false)));
        assertMalformed("leader epoch " + tooBig, link(new Msg.LeaderInfo(tooBig)));
        assertMalformed("new leader epoch -2", link(new Msg.NewLeader(-2)));
        assertMalformed("new leader epoch " + tooBig, link(new Msg.AckNewLeader(tooBig)));
        assertMalformed("snapshot zxid", link(new Msg.AckEpoch(1, 1, -1)));
        assertMalformed("diff zxid", link(new Msg.Diff(-5)));
        assertMalformed("trunc zxid", link(new Msg.Trunc(zxidTooBig)));
        assertMalformed("commit zxid", link(new Msg.Commit(Long.MIN_VALUE)));
        assertMalformed("ack zxid", link(new Msg.Ack(zxidTooBig)));
        assertMalformed("snapshot zxid", link(new Msg.Snap(zxidTooBig, new byte[1])));
        assertMalformed("entry zxid", link(new Msg.Propose(new Entry(zxidTooBig, new byte[1], null))));
        assertMalformed("vote zxid", PeerCodec.encode(new Msg.Vote(1, -2, 1, 1, ServerState.LOOKING),
                PooledByteBufAllocator.DEFAULT));
        assertMalformed("vote epoch", PeerCodec.encode(new Msg.Vote(1, 1, 0xFFFF_FFFFL, 1, ServerState.LEADING),
                PooledByteBufAllocator.DEFAULT));
    }

    private static ByteBuf link(Msg.Body body) {
        return PeerCodec.encode(new Msg.Link(1, 1, body), PooledByteBufAllocator.DEFAULT);
    }

    @Test
    void aHugeLengthClaimFailsWithoutAllocatingIt() {
        // Claims 2 GiB of payload with 3 bytes behind it: must fail on the length, not try to allocate.
        assertMalformed("byte array of 2147483647 bytes, 3 remain", Unpooled.buffer().writeByte(2).writeLong(1)
                .writeLong(1).writeByte(6).writeLong(5).writeInt(Integer.MAX_VALUE).writeBytes(new byte[3]));
    }

    @Test
    void handshakeRoundTrips() throws Exception {
        ByteBuf buf = PeerCodec.encodeHandshake(Unpooled.buffer().alloc(), 42, PortKind.ELECTION);
        PeerCodec.Handshake h = PeerCodec.decodeHandshake(buf);
        assertEquals(new PeerCodec.Handshake(PeerCodec.MAGIC, PeerCodec.VERSION, 42, PortKind.ELECTION.code), h);
        assertThrows(PeerCodec.MalformedException.class, () -> PeerCodec.decodeHandshake(Unpooled.buffer().writeInt(1)));
    }

    private static void assertMalformed(String expectedPart, byte[] input) {
        PeerCodec.MalformedException e = assertThrows(PeerCodec.MalformedException.class, () -> PeerCodec.fromBytes(input));
        assertTrue(e.getMessage().contains(expectedPart), () -> "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }

    private static void assertMalformed(String expectedPart, ByteBuf input) {
        byte[] b = new byte[input.readableBytes()];
        input.readBytes(b);
        assertMalformed(expectedPart, b);
    }
}
