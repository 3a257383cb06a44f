package io.jlvs.endpoint;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IpipDecapsulatorTest
{
    private static final int VIP = FrameBuilder.address("198.18.0.200");

    /**
     * Director 198.18.5.1 tunnels client 198.18.6.10:5000 -> VIP 198.18.0.200:7 (UDP "ping") to real server
     * 198.18.5.2. Outer header: ID 0x0100, TTL 64, protocol 4, checksum e39e.
     */
    private static final String GOLDEN_IPIP =
        "45 00 00 34 01 00 00 00 40 04 e3 9e c6 12 05 01\n" +
        "c6 12 05 02 45 00 00 20 00 01 00 00 40 11 e7 d5\n" +
        "c6 12 06 0a c6 12 00 c8 13 88 00 07 00 0c 7a 7f\n" +
        "70 69 6e 67";
    /** The inner packet: what must reach the TUN device, byte for byte. */
    private static final String GOLDEN_INNER =
        "45 00 00 20 00 01 00 00 40 11 e7 d5 c6 12 06 0a\n" +
        "c6 12 00 c8 13 88 00 07 00 0c 7a 7f 70 69 6e 67";
    /** The same inner packet as a sender without checksum offload done leaves it: UDP checksum = pseudo-header sum. */
    private static final String GOLDEN_INNER_PARTIAL =
        "45 00 00 20 00 01 00 00 40 11 e7 d5 c6 12 06 0a\n" +
        "c6 12 00 c8 13 88 00 07 00 0c 93 14 70 69 6e 67";

    private final IpipDecapsulator decapsulator = new IpipDecapsulator(new int[] {VIP});

    private static byte[] udpInner()
    {
        return IpipPackets.inner(FrameBuilder.udp().src("198.18.6.10", 5000).dst("198.18.0.200", 7)
            .payload("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    private static byte[] tunnelled(final byte[] inner)
    {
        return IpipPackets.encapsulate("198.18.5.1", "198.18.5.2", inner);
    }

    private EndpointCounter decapsulate(final byte[] packet)
    {
        return decapsulator.decapsulate(new UnsafeBuffer(packet), 0, packet.length);
    }

    private byte[] innerBytes(final byte[] packet)
    {
        return Arrays.copyOfRange(packet, decapsulator.innerOffset(),
            decapsulator.innerOffset() + decapsulator.innerLength());
    }

    @Test
    void goldenPacketMatchesTheFixtureBuilders()
    {
        assertEquals(GOLDEN_IPIP, Hex.format(tunnelled(udpInner())));
    }

    @Test
    void deliversTheInnerPacketOfAGoldenIpipPacketUnchanged()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);

        assertEquals(EndpointCounter.DELIVERED, decapsulate(packet));
        assertEquals(20, decapsulator.innerOffset());
        assertEquals(32, decapsulator.innerLength());
        assertEquals(20, decapsulator.innerHeaderLength());
        assertEquals(GOLDEN_INNER, Hex.format(innerBytes(packet)));
        assertEquals(-1, decapsulator.checksumFieldOffset(), "a full UDP checksum is left to the kernel");
    }

    @Test
    void findsTheInnerPacketAtASlotOffsetInALargerBuffer()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        final int slot = 4096;
        final byte[] slots = new byte[2 * slot];
        Arrays.fill(slots, (byte)0xEE);
        System.arraycopy(packet, 0, slots, slot, packet.length);

        assertEquals(EndpointCounter.DELIVERED,
            decapsulator.decapsulate(new UnsafeBuffer(slots), slot, packet.length));
        assertEquals(slot + 20, decapsulator.innerOffset());
        assertArrayEquals(Hex.parse(GOLDEN_INNER), Arrays.copyOfRange(slots, slot + 20, slot + 20 + 32));
    }

    @Test
    void marksAnInnerUdpPacketWithAPartialChecksumForChecksumPartialDelivery()
    {
        final byte[] packet = tunnelled(Hex.parse(GOLDEN_INNER_PARTIAL));

        assertEquals(EndpointCounter.DELIVERED, decapsulate(packet));
        assertEquals(6, decapsulator.checksumFieldOffset(), "UDP's checksum field is 6 bytes into its header");
        assertEquals(GOLDEN_INNER_PARTIAL, Hex.format(innerBytes(packet)));
    }

    @Test
    void goldenPartialChecksumIsWhatFrameBuilderLeavesForAPartialChecksum()
    {
        assertEquals(GOLDEN_INNER_PARTIAL, Hex.format(IpipPackets.inner(FrameBuilder.udp()
            .src("198.18.6.10", 5000).dst("198.18.0.200", 7)
            .payload("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).partialChecksum())));
    }

    @Test
    void marksAnInnerTcpSegmentWithAPartialChecksumAtTcpsChecksumField()
    {
        final byte[] inner = IpipPackets.inner(FrameBuilder.tcp().src("198.18.6.10", 40000).dst("198.18.0.200", 80)
            .flags(FrameBuilder.ACK | FrameBuilder.PSH).payloadLength(100).partialChecksum());

        assertEquals(EndpointCounter.DELIVERED, decapsulate(tunnelled(inner)));
        assertEquals(16, decapsulator.checksumFieldOffset());
    }

    @Test
    void leavesAFullyChecksummedTcpSegmentToTheKernel()
    {
        final byte[] inner = IpipPackets.inner(FrameBuilder.tcp().src("198.18.6.10", 40000).dst("198.18.0.200", 80));

        assertEquals(EndpointCounter.DELIVERED, decapsulate(tunnelled(inner)));
        assertEquals(-1, decapsulator.checksumFieldOffset());
    }

    @Test
    void leavesAUdpDatagramWithoutChecksumToTheKernel()
    {
        final byte[] inner = udpInner();
        inner[26] = 0;
        inner[27] = 0;

        assertEquals(EndpointCounter.DELIVERED, decapsulate(tunnelled(inner)));
        assertEquals(-1, decapsulator.checksumFieldOffset(), "UDP checksum 0 means none; it is never partial");
    }

    @Test
    void neverTakesAnInnerFragmentForAPartialChecksum()
    {
        final byte[] inner = Hex.parse(GOLDEN_INNER_PARTIAL);
        inner[6] = 0x20;
        IpipPackets.fixHeaderChecksum(inner, 0);

        assertEquals(EndpointCounter.DELIVERED, decapsulate(tunnelled(inner)));
        assertEquals(-1, decapsulator.checksumFieldOffset(),
            "a first fragment's checksum covers the whole datagram; the kernel reassembles and checks it");
    }

    @Test
    void resetsThePartialChecksumMarkBetweenPackets()
    {
        decapsulate(tunnelled(Hex.parse(GOLDEN_INNER_PARTIAL)));

        assertEquals(EndpointCounter.DROP_OUTER_TRUNCATED, decapsulate(new byte[10]));
        assertEquals(-1, decapsulator.checksumFieldOffset());
        assertEquals(EndpointCounter.DELIVERED, decapsulate(Hex.parse(GOLDEN_IPIP)));
        assertEquals(-1, decapsulator.checksumFieldOffset());
    }

    @Test
    void skipsOuterOptionsToFindTheInnerPacket()
    {
        final byte[] plain = Hex.parse(GOLDEN_IPIP);
        final byte[] packet = new byte[plain.length + 4];
        System.arraycopy(plain, 0, packet, 0, 20);
        System.arraycopy(plain, 20, packet, 24, plain.length - 20);
        packet[0] = 0x46;
        packet[3] = (byte)(packet.length);
        packet[20] = 1;
        packet[21] = 1;
        packet[22] = 1;
        packet[23] = 0;

        assertEquals(EndpointCounter.DELIVERED, decapsulate(packet));
        assertEquals(24, decapsulator.innerOffset());
        assertEquals(GOLDEN_INNER, Hex.format(innerBytes(packet)));
    }

    @Test
    void ignoresBytesAfterTheOuterTotalLength()
    {
        final byte[] plain = Hex.parse(GOLDEN_IPIP);
        final byte[] padded = Arrays.copyOf(plain, plain.length + 6);

        assertEquals(EndpointCounter.DELIVERED, decapsulate(padded));
        assertEquals(32, decapsulator.innerLength());
    }

    @Test
    void deliversOnlyTheInnerTotalLengthWhenTheOuterCarriesPadding()
    {
        final byte[] inner = Arrays.copyOf(Hex.parse(GOLDEN_INNER), 32 + 8);

        assertEquals(EndpointCounter.DELIVERED, decapsulate(tunnelled(inner)));
        assertEquals(GOLDEN_INNER, Hex.format(innerBytes(tunnelled(inner))));
        assertEquals(32, decapsulator.innerLength());
    }

    @Test
    void dropsAPacketShorterThanAnIpv4HeaderAsOuterTruncated()
    {
        assertEquals(EndpointCounter.DROP_OUTER_TRUNCATED, decapsulate(Arrays.copyOf(Hex.parse(GOLDEN_IPIP), 19)));
    }

    @Test
    void dropsAPacketShorterThanItsOuterTotalLengthAsOuterTruncated()
    {
        assertEquals(EndpointCounter.DROP_OUTER_TRUNCATED, decapsulate(Arrays.copyOf(Hex.parse(GOLDEN_IPIP), 51)));
    }

    @Test
    void dropsAnOuterHeaderLongerThanThePacketAsOuterTruncated()
    {
        final byte[] packet = Arrays.copyOf(Hex.parse(GOLDEN_IPIP), 24);
        packet[0] = 0x4F;
        packet[3] = 24;

        assertEquals(EndpointCounter.DROP_OUTER_MALFORMED, decapsulate(packet),
            "total length 24 below a 60-byte header is malformed before it is short");
        packet[3] = 60;
        assertEquals(EndpointCounter.DROP_OUTER_TRUNCATED, decapsulate(packet));
    }

    @Test
    void dropsAnOuterHeaderThatIsNotVersion4AsMalformed()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        packet[0] = 0x65;

        assertEquals(EndpointCounter.DROP_OUTER_MALFORMED, decapsulate(packet));
    }

    @Test
    void dropsAnOuterHeaderLengthBelowFiveWordsAsMalformed()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        packet[0] = 0x44;

        assertEquals(EndpointCounter.DROP_OUTER_MALFORMED, decapsulate(packet));
    }

    @Test
    void dropsAnOuterTotalLengthBelowItsHeaderAsMalformed()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        packet[2] = 0;
        packet[3] = 19;

        assertEquals(EndpointCounter.DROP_OUTER_MALFORMED, decapsulate(packet));
    }

    @Test
    void dropsAnOuterProtocolOtherThanIpipAsNotIpip()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        packet[9] = 41;

        assertEquals(EndpointCounter.DROP_OUTER_NOT_IPIP, decapsulate(packet));
    }

    @Test
    void dropsAnOuterFirstFragmentAsOuterFragment()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        packet[6] = 0x20;

        assertEquals(EndpointCounter.DROP_OUTER_FRAGMENT, decapsulate(packet));
    }

    @Test
    void dropsALaterOuterFragmentAsOuterFragment()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        packet[7] = 0x05;

        assertEquals(EndpointCounter.DROP_OUTER_FRAGMENT, decapsulate(packet));
    }

    @Test
    void acceptsAnOuterHeaderWithDontFragment()
    {
        final byte[] packet = Hex.parse(GOLDEN_IPIP);
        packet[6] = 0x40;

        assertEquals(EndpointCounter.DELIVERED, decapsulate(packet));
    }

    @Test
    void dropsAnInnerPacketShorterThanAnIpv4HeaderAsInnerTruncated()
    {
        assertEquals(EndpointCounter.DROP_INNER_TRUNCATED,
            decapsulate(tunnelled(Arrays.copyOf(Hex.parse(GOLDEN_INNER), 19))));
        assertEquals(EndpointCounter.DROP_INNER_TRUNCATED, decapsulate(tunnelled(new byte[0])));
    }

    @Test
    void dropsAnInnerPacketShorterThanItsTotalLengthAsInnerTruncated()
    {
        assertEquals(EndpointCounter.DROP_INNER_TRUNCATED,
            decapsulate(tunnelled(Arrays.copyOf(Hex.parse(GOLDEN_INNER), 31))));
    }

    @Test
    void dropsAnInnerHeaderLongerThanTheInnerPacketAsInnerTruncated()
    {
        final byte[] inner = Arrays.copyOf(Hex.parse(GOLDEN_INNER), 24);
        inner[0] = 0x47;
        inner[3] = 24;

        assertEquals(EndpointCounter.DROP_INNER_TRUNCATED, decapsulate(tunnelled(inner)));
    }

    @Test
    void dropsAnIpv6InnerPacketAsNotIpv4()
    {
        final byte[] inner = Hex.parse(GOLDEN_INNER);
        inner[0] = 0x60;

        assertEquals(EndpointCounter.DROP_INNER_NOT_IPV4, decapsulate(tunnelled(inner)));
    }

    @Test
    void dropsAnInnerHeaderLengthBelowFiveWordsAsInnerMalformed()
    {
        final byte[] inner = Hex.parse(GOLDEN_INNER);
        inner[0] = 0x43;

        assertEquals(EndpointCounter.DROP_INNER_MALFORMED, decapsulate(tunnelled(inner)));
    }

    @Test
    void dropsAnInnerTotalLengthBelowItsHeaderAsInnerMalformed()
    {
        final byte[] inner = Hex.parse(GOLDEN_INNER);
        inner[3] = 16;
        IpipPackets.fixHeaderChecksum(inner, 0);

        assertEquals(EndpointCounter.DROP_INNER_MALFORMED, decapsulate(tunnelled(inner)));
    }

    @Test
    void dropsAnInnerHeaderWithAWrongChecksumAsBadChecksum()
    {
        final byte[] inner = Hex.parse(GOLDEN_INNER);
        inner[8] = 63;

        assertEquals(EndpointCounter.DROP_INNER_BAD_CHECKSUM, decapsulate(tunnelled(inner)));
    }

    @Test
    void dropsAnInnerPacketToAnAddressThatIsNoVipAsNotVip()
    {
        final byte[] inner = IpipPackets.inner(FrameBuilder.udp().src("198.18.6.10", 5000).dst("198.18.0.201", 7));

        assertEquals(EndpointCounter.DROP_INNER_NOT_VIP, decapsulate(tunnelled(inner)));
    }

    @Test
    void acceptsAnyOfSeveralVips()
    {
        final IpipDecapsulator several = new IpipDecapsulator(new int[] {
            FrameBuilder.address("198.18.0.210"), VIP, FrameBuilder.address("198.18.0.100")});
        final byte[] packet = tunnelled(IpipPackets.inner(
            FrameBuilder.udp().src("198.18.6.10", 5000).dst("198.18.0.100", 53)));

        assertEquals(EndpointCounter.DELIVERED, several.decapsulate(new UnsafeBuffer(packet), 0, packet.length));
    }

    @Test
    void deliversToAnyDestinationWhenNoVipIsConfigured()
    {
        final IpipDecapsulator open = new IpipDecapsulator(new int[0]);
        final byte[] packet = tunnelled(IpipPackets.inner(
            FrameBuilder.udp().src("198.18.6.10", 5000).dst("198.18.0.201", 7)));

        assertEquals(EndpointCounter.DELIVERED, open.decapsulate(new UnsafeBuffer(packet), 0, packet.length));
    }
}
