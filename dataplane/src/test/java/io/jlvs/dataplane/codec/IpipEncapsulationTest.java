package io.jlvs.dataplane.codec;

import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import io.jlvs.fixtures.IcmpFrames;
import io.jlvs.fixtures.IpipFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpipEncapsulationTest
{
    private static final int HEADROOM = 64;
    private static final long GATEWAY_MAC = 0x02_00_00_00_00_FEL;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_01L;
    private static final int DIRECTOR = FrameBuilder.address("198.18.0.2");
    private static final int REAL_SERVER = FrameBuilder.address("198.18.1.20");
    private static final int MTU = 1500;

    private final UnsafeBuffer slot = new UnsafeBuffer(ByteBuffer.allocateDirect(HEADROOM + 70_000));
    private final IpipEncapsulation ipip = new IpipEncapsulation(0x1234);

    private int load(final byte[] frame)
    {
        slot.setMemory(0, slot.capacity(), (byte)0);
        slot.putBytes(HEADROOM, frame);
        return frame.length;
    }

    private byte[] output()
    {
        final byte[] out = new byte[ipip.frameLength()];
        slot.getBytes(ipip.frameOffset(), out);
        return out;
    }

    private byte[] slotBytes(final int offset, final int length)
    {
        final byte[] out = new byte[length];
        slot.getBytes(offset, out);
        return out;
    }

    @Test
    void wrapsTcpSynInOuterHeaderCopyingTosTtlAndDfWithFreshId()
    {
        final byte[] syn = FrameBuilder.tcp().fragmentField(0x4000).build();
        final int length = load(syn);

        final int result = ipip.encapsulate(slot, HEADROOM, length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU);

        assertEquals(IpipEncapsulation.ENCAPSULATED, result);
        assertEquals(HEADROOM - 20, ipip.frameOffset());
        // Ethernet (gateway <- director) | outer: tos 0, len 60, id 0x1234, DF, ttl 63, proto 4, 198.18.0.2 ->
        // 198.18.1.20 | inner: ttl 64 -> 63 with its checksum patched | TCP untouched. Checksums from a separate
        // Python computation.
        final byte[] expected = Hex.parse(
            "02 00 00 00 00 fe 02 00 00 00 00 01 08 00 45 00" +
            "00 3c 12 34 40 00 3f 04 9c 4f c6 12 00 02 c6 12" +
            "01 14 45 00 00 28 00 01 40 00 3f 06 af 3c c6 12" +
            "00 0a c6 12 00 64 9c 40 00 50 00 00 00 01 00 00" +
            "00 00 50 02 ff ff 86 be 00 00");
        assertArrayEquals(expected, output(), () -> Hex.format(output()));
        assertTrue(IcmpFrames.ipChecksumValid(output(), 14), "outer header checksum");
        assertTrue(IcmpFrames.ipChecksumValid(output(), 34), "inner header checksum");
        assertEquals(0x1235, ipip.nextId());
    }

    @Test
    void eachPacketTakesTheNextIdWrappingAt16Bits()
    {
        final IpipEncapsulation wrapping = new IpipEncapsulation(0xFFFF);
        final byte[] frame = FrameBuilder.udp().build();
        load(frame);
        wrapping.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU);
        assertEquals(0xFFFF, slot.getShort(wrapping.frameOffset() + 18, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF);
        load(frame);
        wrapping.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU);
        assertEquals(0, slot.getShort(wrapping.frameOffset() + 18, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }

    @Test
    void matchesTheReferenceEncapsulationForRandomFrames()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        int id = 0x1234;
        for (int i = 0; i < 200; i++)
        {
            final int tos = random.nextInt(256);
            final boolean df = random.nextBoolean();
            final FrameBuilder builder = random.nextBoolean() ? FrameBuilder.tcp() : FrameBuilder.udp();
            final byte[] frame = builder.ttl(2 + random.nextInt(254)).ipId(random.nextInt(0x10000))
                .fragmentField(df ? 0x4000 : 0).payloadLength(random.nextInt(1400)).build();
            IcmpFrames.withIpByte(frame, 1, tos);
            load(frame);

            final int result = ipip.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC,
                DIRECTOR_MAC, MTU);

            assertEquals(IpipEncapsulation.ENCAPSULATED, result, "seed=" + seed);
            final byte[] expected = IpipFrames.encapsulate(frame, GATEWAY_MAC, DIRECTOR_MAC, "198.18.0.2",
                "198.18.1.20", id++);
            assertArrayEquals(expected, output(), "seed=" + seed + " frame " + i);
        }
    }

    @Test
    void dropsEthernetPaddingAfterTheInnerPacket()
    {
        final byte[] small = FrameBuilder.udp().payloadLength(2).build();
        final byte[] padded = Arrays.copyOf(small, 60);
        load(padded);

        assertEquals(IpipEncapsulation.ENCAPSULATED,
            ipip.encapsulate(slot, HEADROOM, padded.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));

        assertEquals(14 + 20 + small.length - 14, ipip.frameLength());
        assertEquals(20 + small.length - 14, slot.getShort(ipip.frameOffset() + 16, java.nio.ByteOrder.BIG_ENDIAN));
    }

    @Test
    void refusesTtlOneSoTheClientGetsTimeExceededAndLeavesTheFrameUntouched()
    {
        final byte[] frame = FrameBuilder.tcp().ttl(1).build();
        load(frame);

        assertEquals(IpipEncapsulation.TTL_EXPIRED,
            ipip.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertArrayEquals(frame, slotBytes(HEADROOM, frame.length));
        assertEquals(0x1234, ipip.nextId(), "no ID used");
    }

    @Test
    void asksForFragmentationNeededWithMtuLess20WhenDfPacketPlusOuterHeaderExceedsMtu()
    {
        // 1481 bytes of IP: one more than a 1500-byte MTU leaves for the inner packet.
        final byte[] frame = FrameBuilder.tcp().fragmentField(0x4000).payloadLength(1481 - 40).build();
        load(frame);

        assertEquals(IpipEncapsulation.FRAGMENTATION_NEEDED,
            ipip.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertEquals(1480, ipip.tunnelMtu());
        assertArrayEquals(frame, slotBytes(HEADROOM, frame.length));
    }

    @Test
    void encapsulatesAPacketThatExactlyFillsTheTunnelMtu()
    {
        final byte[] frame = FrameBuilder.tcp().fragmentField(0x4000).payloadLength(1480 - 40).build();
        load(frame);

        assertEquals(IpipEncapsulation.ENCAPSULATED,
            ipip.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertEquals(14 + 1500, ipip.frameLength());
    }

    @Test
    void asksToFragmentWhenTooBigWithoutDf()
    {
        final byte[] frame = FrameBuilder.udp().payloadLength(3000).build();
        load(frame);

        assertEquals(IpipEncapsulation.NEEDS_FRAGMENTATION,
            ipip.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertEquals(1480, ipip.tunnelMtu());
        assertArrayEquals(frame, slotBytes(HEADROOM, frame.length));
    }

    @Test
    void fragmentsIcmpEvenWithDfAsIpvsNeverAnswersIcmpWithFragNeeded()
    {
        final byte[] ping = IcmpFrames.ipFrame(1, 2, 0, 7, 0x4000, 64, FrameBuilder.ICMP, "198.18.0.10",
            "198.18.0.100", new byte[1600]);
        load(ping);

        assertEquals(IpipEncapsulation.NEEDS_FRAGMENTATION,
            ipip.encapsulate(slot, HEADROOM, ping.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
    }

    @Test
    void refusesATunnelWhoseInnerMtuIsBelow68()
    {
        final byte[] frame = FrameBuilder.udp().build();
        load(frame);

        assertEquals(IpipEncapsulation.MTU_TOO_SMALL,
            ipip.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, 87));
        assertEquals(IpipEncapsulation.ENCAPSULATED,
            ipip.encapsulate(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, 88));
    }

    @Test
    void refusesTruncatedMalformedAndNonIpv4FramesWithoutTouchingThem()
    {
        final byte[] good = FrameBuilder.tcp().build();

        load(good);
        assertEquals(IpipEncapsulation.TRUNCATED,
            ipip.encapsulate(slot, HEADROOM, 33, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertEquals(IpipEncapsulation.TRUNCATED,
            ipip.encapsulate(slot, HEADROOM, good.length - 1, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU),
            "total length beyond the frame");

        final byte[] version6 = IcmpFrames.withIpByte(good.clone(), 0, 0x65);
        load(version6);
        assertEquals(IpipEncapsulation.MALFORMED,
            ipip.encapsulate(slot, HEADROOM, version6.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));

        final byte[] shortIhl = good.clone();
        shortIhl[14] = 0x44;
        load(shortIhl);
        assertEquals(IpipEncapsulation.MALFORMED,
            ipip.encapsulate(slot, HEADROOM, shortIhl.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));

        final byte[] arp = FrameBuilder.arpRequest(0x02_00_00_00_00_10L, "198.18.0.10", "198.18.0.100");
        load(arp);
        assertEquals(IpipEncapsulation.NOT_IPV4,
            ipip.encapsulate(slot, HEADROOM, arp.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertArrayEquals(arp, slotBytes(HEADROOM, arp.length));

        load(good);
        assertEquals(IpipEncapsulation.NO_HEADROOM,
            ipip.encapsulate(slot, 19, good.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertEquals(0x1234, ipip.nextId(), "no refused frame used an ID");
    }

    @Test
    void movesTheVirtioHeaderWithTheFrameAndShiftsCsumStartBy20()
    {
        final FrameBuilder builder = FrameBuilder.tcp().flags(FrameBuilder.ACK).payloadLength(100).partialChecksum();
        final byte[] frame = builder.build();
        load(frame);
        final int vnet = HEADROOM - VnetHeader.LENGTH;
        VnetHeader.write(slot, vnet, VnetHeader.F_NEEDS_CSUM | VnetHeader.F_DATA_VALID, VnetHeader.GSO_NONE, 54, 0,
            34, 16);

        final int result = ipip.encapsulateWithVnet(slot, HEADROOM, frame.length, DIRECTOR, REAL_SERVER, GATEWAY_MAC,
            DIRECTOR_MAC, MTU);

        assertEquals(IpipEncapsulation.ENCAPSULATED, result);
        final int newVnet = ipip.frameOffset() - VnetHeader.LENGTH;
        assertEquals(HEADROOM - 30, newVnet);
        // flags NEEDS_CSUM only (DATA_VALID is receive-side), GSO none, hdr_len 54+20, gso_size 0, csum_start 34+20
        // (the inner TCP header, counted from the new frame start), csum_offset 16; little-endian.
        assertEquals("01 00 4a 00 00 00 36 00 10 00", Hex.format(slotBytes(newVnet, VnetHeader.LENGTH)));
        // The partial sum is still in the TCP field, untouched: the kernel completes it from csum_start.
        assertEquals(frame[builder.checksumOffset()], slot.getByte(ipip.frameOffset() + 20 + builder.checksumOffset()));
    }

    @Test
    void vnetHeaderWithoutChecksumOffloadStaysZero()
    {
        final byte[] frame = FrameBuilder.udp().build();
        load(frame);
        VnetHeader.clear(slot, HEADROOM - VnetHeader.LENGTH);

        assertEquals(IpipEncapsulation.ENCAPSULATED, ipip.encapsulateWithVnet(slot, HEADROOM, frame.length, DIRECTOR,
            REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertEquals("00 00 00 00 00 00 00 00 00 00",
            Hex.format(slotBytes(ipip.frameOffset() - VnetHeader.LENGTH, VnetHeader.LENGTH)));
    }

    @Test
    void sendsGsoSuperFramesToSoftwareSegmentationUntouched()
    {
        final byte[] superFrame = FrameBuilder.tcp().flags(FrameBuilder.ACK).fragmentField(0x4000)
            .payloadLength(10_000).partialChecksum().build();
        load(superFrame);
        VnetHeader.write(slot, HEADROOM - VnetHeader.LENGTH, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, 54, 1448,
            34, 16);

        assertEquals(IpipEncapsulation.NEEDS_SEGMENTATION, ipip.encapsulateWithVnet(slot, HEADROOM, superFrame.length,
            DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
        assertEquals(1480, ipip.tunnelMtu());
        assertArrayEquals(superFrame, slotBytes(HEADROOM, superFrame.length));
        assertEquals(IpipEncapsulation.NO_HEADROOM, ipip.encapsulateWithVnet(slot, 29, superFrame.length,
            DIRECTOR, REAL_SERVER, GATEWAY_MAC, DIRECTOR_MAC, MTU));
    }

    @Test
    void innerMtuForARouterReportIsLess20ButNeverBelow68()
    {
        assertEquals(1380, IpipEncapsulation.innerMtu(1400));
        assertEquals(68, IpipEncapsulation.innerMtu(80));
        assertEquals(68, IpipEncapsulation.innerMtu(0));
    }
}
