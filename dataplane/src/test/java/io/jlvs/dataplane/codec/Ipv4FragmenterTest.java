package io.jlvs.dataplane.codec;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import io.jlvs.fixtures.IcmpFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4FragmenterTest
{
    private static final int FRAME_OFFSET = 64;
    private static final int OUT_SLOT = 2048;

    /**
     * UDP 198.18.0.10:40000 -> 198.18.0.100:53, DF set, IP ID 0x4242, 12 bytes of options: Router Alert (type 0x94,
     * copy flag set), Record Route (type 7, not copied), EOL; 40 bytes of UDP.
     */
    private static final String WITH_OPTIONS =
        "02 00 00 00 00 02 02 00 00 00 00 10 08 00 48 00" +
        "00 48 42 42 40 00 40 11 c9 c4 c6 12 00 0a c6 12" +
        "00 64 94 04 00 00 07 07 04 00 00 00 00 00 9c 40" +
        "00 35 00 28 00 00 61 62 63 64 65 66 67 68 69 6a" +
        "6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 78 79 7a" +
        "61 62 63 64 65 66";

    private final UnsafeBuffer in = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_OFFSET + 70_000));
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(OUT_SLOT));
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();

    private int load(final byte[] frame)
    {
        in.putBytes(FRAME_OFFSET, frame);
        return frame.length;
    }

    private List<byte[]> drain()
    {
        final List<byte[]> fragments = new ArrayList<>();
        int length;
        while ((length = fragmenter.next(out, 0, OUT_SLOT)) > 0)
        {
            final byte[] fragment = new byte[length];
            out.getBytes(0, fragment);
            fragments.add(fragment);
        }
        assertEquals(0, length);
        return fragments;
    }

    private static int u16(final byte[] frame, final int offset)
    {
        return ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
    }

    @Test
    void cutsToMultiplesOf8BlankingUncopiedOptionsAfterTheFirstAndClearingDf()
    {
        final int length = load(Hex.parse(WITH_OPTIONS));

        // 48-byte MTU: 32 bytes of header leave 16 bytes of data per fragment.
        assertEquals(3, fragmenter.begin(in, FRAME_OFFSET, length, 48));
        final List<byte[]> fragments = drain();

        assertEquals(3, fragments.size());
        // First: all options, offset 0, MF, DF cleared.
        assertArrayEquals(Hex.parse(
            "02 00 00 00 00 02 02 00 00 00 00 10 08 00 48 00" +
            "00 30 42 42 20 00 40 11 e9 dc c6 12 00 0a c6 12" +
            "00 64 94 04 00 00 07 07 04 00 00 00 00 00 9c 40" +
            "00 35 00 28 00 00 61 62 63 64 65 66 67 68"), fragments.get(0), () -> Hex.format(fragments.get(0)));
        // Second: Record Route overwritten with NOPs, Router Alert kept, offset 2 (16 bytes) with MF.
        assertArrayEquals(Hex.parse(
            "02 00 00 00 00 02 02 00 00 00 00 10 08 00 48 00" +
            "00 30 42 42 20 02 40 11 f0 de c6 12 00 0a c6 12" +
            "00 64 94 04 00 00 01 01 01 01 01 01 01 00 69 6a" +
            "6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 78"), fragments.get(1), () -> Hex.format(fragments.get(1)));
        // Last: offset 4 (32 bytes), no MF.
        assertArrayEquals(Hex.parse(
            "02 00 00 00 00 02 02 00 00 00 00 10 08 00 48 00" +
            "00 28 42 42 00 04 40 11 10 e5 c6 12 00 0a c6 12" +
            "00 64 94 04 00 00 01 01 01 01 01 01 01 00 79 7a" +
            "61 62 63 64 65 66"), fragments.get(2), () -> Hex.format(fragments.get(2)));
    }

    @Test
    void fragmentsReassembleToTheOriginalDatagram()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final byte[] payload = new byte[1 + random.nextInt(20_000)];
        random.nextBytes(payload);
        final byte[] datagram = FrameBuilder.udp().ipId(0x7777).payload(payload).build();
        final int mtu = 68 + random.nextInt(1500);
        final int length = load(datagram);

        final int count = fragmenter.begin(in, FRAME_OFFSET, length, mtu);

        final int ipPayload = datagram.length - 34;
        final int perFragment = ipPayload + 20 <= mtu ? ipPayload : (mtu - 20) & ~7;
        assertEquals((ipPayload + perFragment - 1) / perFragment, count, "seed=" + seed + " mtu=" + mtu);
        final ByteArrayOutputStream joined = new ByteArrayOutputStream();
        final List<byte[]> fragments = drain();
        for (int i = 0; i < fragments.size(); i++)
        {
            final byte[] fragment = fragments.get(i);
            assertTrue(fragment.length - 14 <= mtu, "seed=" + seed);
            assertTrue(IcmpFrames.ipChecksumValid(fragment, 14), "seed=" + seed);
            assertEquals(0x7777, u16(fragment, 18));
            final int field = u16(fragment, 20);
            assertEquals(joined.size(), (field & 0x1FFF) * 8, "offset, seed=" + seed);
            assertEquals(i < fragments.size() - 1 && count > 1, (field & 0x2000) != 0, "MF, seed=" + seed);
            joined.write(fragment, 34, fragment.length - 34);
        }
        assertArrayEquals(Arrays.copyOfRange(datagram, 34, datagram.length), joined.toByteArray(), "seed=" + seed);
    }

    @Test
    void refragmentingAFragmentKeepsItsOffsetAndItsMoreFragmentsFlag()
    {
        // A middle fragment: offset 185 (1480 bytes), MF set, 1000 bytes of data.
        final byte[] middle = IcmpFrames.ipFrame(1, 2, 0, 9, 0x2000 | 185, 64, FrameBuilder.UDP, "198.18.0.10",
            "198.18.0.100", new byte[1000]);
        final int length = load(middle);

        assertEquals(2, fragmenter.begin(in, FRAME_OFFSET, length, 620));
        final List<byte[]> fragments = drain();

        assertEquals(0x2000 | 185, u16(fragments.get(0), 20));
        assertEquals(0x2000 | (185 + 600 / 8), u16(fragments.get(1), 20), "MF stays: more came after the original");
        assertEquals(20 + 400, u16(fragments.get(1), 16));
    }

    @Test
    void aPacketThatFitsIsCopiedUnchangedAsOneFragment()
    {
        final byte[] frame = FrameBuilder.udp().fragmentField(0x4000).payloadLength(100).build();
        final int length = load(frame);

        assertEquals(1, fragmenter.begin(in, FRAME_OFFSET, length, 1480));
        final List<byte[]> fragments = drain();

        assertArrayEquals(frame, fragments.get(0));
    }

    @Test
    void refusesMalformedTruncatedAndTooSmallMtu()
    {
        final byte[] frame = FrameBuilder.udp().payloadLength(500).build();
        final int length = load(frame);
        assertEquals(Ipv4Fragmenter.MTU_TOO_SMALL, fragmenter.begin(in, FRAME_OFFSET, length, 27));
        assertEquals(Ipv4Fragmenter.TRUNCATED, fragmenter.begin(in, FRAME_OFFSET, length - 1, 1480));
        assertEquals(Ipv4Fragmenter.TRUNCATED, fragmenter.begin(in, FRAME_OFFSET, 20, 1480));

        final byte[] badOption = Hex.parse(WITH_OPTIONS);
        badOption[39] = 0x20; // Record Route claims 32 bytes: beyond the header
        IcmpFrames.rechecksumIp(badOption, 14);
        load(badOption);
        assertEquals(Ipv4Fragmenter.MALFORMED, fragmenter.begin(in, FRAME_OFFSET, badOption.length, 48));

        final byte[] zeroLengthOption = Hex.parse(WITH_OPTIONS);
        zeroLengthOption[39] = 0x00;
        load(zeroLengthOption);
        assertEquals(Ipv4Fragmenter.MALFORMED, fragmenter.begin(in, FRAME_OFFSET, zeroLengthOption.length, 48));

        final byte[] ipv6 = FrameBuilder.udp().build();
        ipv6[14] = 0x65;
        load(ipv6);
        assertEquals(Ipv4Fragmenter.MALFORMED, fragmenter.begin(in, FRAME_OFFSET, ipv6.length, 1480));
        assertEquals(0, fragmenter.next(out, 0, OUT_SLOT));
    }

    @Test
    void reportsNoRoomWithoutAdvancing()
    {
        final byte[] frame = FrameBuilder.udp().payloadLength(3000).build();
        final int length = load(frame);
        assertEquals(3, fragmenter.begin(in, FRAME_OFFSET, length, 1500));

        assertEquals(Ipv4Fragmenter.NO_ROOM, fragmenter.next(out, 0, 1513));
        assertEquals(3, fragmenter.remaining());
        assertEquals(1514, fragmenter.next(out, 0, 1514));
    }
}
