package io.jlvs.dataplane.codec;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import io.jlvs.fixtures.IcmpFrames;
import io.jlvs.fixtures.IpipFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpErrorParserTest
{
    private static final int FRAME_OFFSET = 64;
    private static final int IP_OFFSET = FRAME_OFFSET + 14;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_01L;
    private static final long ROUTER_MAC = 0x02_00_00_00_00_FEL;
    private static final int CLIENT = FrameBuilder.address("198.18.0.10");
    private static final int VIP = FrameBuilder.address("198.18.0.100");
    private static final int DIRECTOR = FrameBuilder.address("198.18.0.2");
    private static final int REAL_SERVER = FrameBuilder.address("198.18.1.20");

    /**
     * Router 198.18.9.1 -> director 198.18.0.2: fragmentation needed, MTU 1400, quoting 48 bytes of the director's
     * IPIP packet: outer 198.18.0.2 -> 198.18.1.20 (protocol 4, DF), inner 198.18.0.10:40000 -> 198.18.0.100:80
     * (TCP, DF) and its first 8 TCP bytes. Built separately in Python.
     */
    private static final String TUNNEL_FRAG_NEEDED =
        "02 00 00 00 00 01 02 00 00 00 00 fe 08 00 45 c0" +
        "00 4c 01 00 00 00 40 01 e3 c9 c6 12 09 01 c6 12" +
        "00 02 03 04 5a f2 00 00 05 78 45 00 05 dc 12 34" +
        "40 00 3f 04 96 af c6 12 00 02 c6 12 01 14 45 00" +
        "05 c8 00 01 40 00 3f 06 a9 9c c6 12 00 0a c6 12" +
        "00 64 9c 40 00 50 00 00 00 01";

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_OFFSET + 2048));
    private final IcmpErrorParser parser = new IcmpErrorParser();

    private int parse(final byte[] frame)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        buffer.putBytes(FRAME_OFFSET, frame);
        return parser.parse(buffer, IP_OFFSET, frame.length - 14);
    }

    /** What a real server sends a client in DR/TUN: from the VIP, straight to the client. */
    private static byte[] replyFromRealServer()
    {
        return FrameBuilder.tcp().src("198.18.0.100", 80).dst("198.18.0.10", 40000).flags(FrameBuilder.ACK)
            .fragmentField(0x4000).payloadLength(1460).build();
    }

    private static byte[] errorToVip(final int type, final int code, final int rest, final byte[] quoted,
        final int quoteLength)
    {
        return IcmpFrames.error(DIRECTOR_MAC, ROUTER_MAC, "198.18.9.1", "198.18.0.100", type, code, rest,
            IcmpFrames.ipPacket(quoted), quoteLength);
    }

    @Test
    void fragNeededAboutARealServerReplyMatchesTheConnectionWithAddressesReversed()
    {
        final int result = parse(errorToVip(3, 4, 1400, replyFromRealServer(), 28));

        assertEquals(IcmpErrorParser.ABOUT_REPLY, result);
        assertTrue(parser.isFragmentationNeeded());
        assertEquals(1400, parser.nextHopMtu());
        assertEquals(Ipv4Header.PROTOCOL_TCP, parser.embeddedProtocol());
        assertEquals(VIP, parser.embeddedSrcAddr());
        assertEquals(80, parser.embeddedSrcPort());
        // The connection table holds client -> VIP: the quoted packet went VIP -> client.
        assertEquals(CLIENT, parser.clientAddr());
        assertEquals(40000, parser.clientPort());
        assertEquals(VIP, parser.virtualAddr());
        assertEquals(80, parser.virtualPort());
        assertEquals(VIP, parser.errorDstAddr());
        assertEquals(FrameBuilder.address("198.18.9.1"), parser.errorSrcAddr());
        assertEquals(IP_OFFSET + 20 + 8, parser.embeddedOffset());
        assertEquals(28, parser.embeddedLength());
        assertTrue(parser.embeddedDontFragment());
    }

    @Test
    void timeExceededSourceQuenchAndPortUnreachableAreMatchedToo()
    {
        final byte[] udpReply = FrameBuilder.udp().src("198.18.0.100", 53).dst("198.18.0.10", 5353).build();
        assertEquals(IcmpErrorParser.ABOUT_REPLY, parse(errorToVip(3, 3, 0, udpReply, 28)));
        assertEquals(Ipv4Header.PROTOCOL_UDP, parser.embeddedProtocol());
        assertEquals(5353, parser.clientPort());
        assertEquals(53, parser.virtualPort());

        assertEquals(IcmpErrorParser.ABOUT_REPLY, parse(errorToVip(11, 0, 0, replyFromRealServer(), 28)));
        assertEquals(IcmpHeader.TYPE_TIME_EXCEEDED, parser.icmpType());
        assertFalse(parser.isFragmentationNeeded());
        assertEquals(IcmpErrorParser.ABOUT_REPLY, parse(errorToVip(4, 0, 0, replyFromRealServer(), 28)));
    }

    @Test
    void errorAboutTheDirectorsTunnelPacketMatchesTheInnerClientFlowAsIs()
    {
        final byte[] clientPacket = FrameBuilder.tcp().flags(FrameBuilder.ACK).fragmentField(0x4000)
            .payloadLength(1440).build();
        final byte[] tunnelled = IpipFrames.encapsulate(clientPacket, ROUTER_MAC, DIRECTOR_MAC, "198.18.0.2",
            "198.18.1.20", 0x1234);
        final byte[] error = IcmpFrames.error(DIRECTOR_MAC, ROUTER_MAC, "198.18.9.1", "198.18.0.2", 3, 4, 1400,
            IcmpFrames.ipPacket(tunnelled), 48);
        assertArrayEquals(Hex.parse(TUNNEL_FRAG_NEEDED), error, () -> Hex.format(error));

        final int result = parse(error);

        assertEquals(IcmpErrorParser.ABOUT_TUNNEL, result);
        assertEquals(DIRECTOR, parser.tunnelSrcAddr());
        assertEquals(REAL_SERVER, parser.tunnelDstAddr());
        assertEquals(CLIENT, parser.clientAddr());
        assertEquals(40000, parser.clientPort());
        assertEquals(VIP, parser.virtualAddr());
        assertEquals(80, parser.virtualPort());
        assertEquals(1400, parser.nextHopMtu());
        assertEquals(1380, IpipEncapsulation.innerMtu(parser.nextHopMtu()));
        assertTrue(parser.embeddedDontFragment(), "the client does PMTU discovery");
        assertEquals(IP_OFFSET + 20 + 8 + 20, parser.embeddedOffset(), "the inner header, for quoting to the client");
        assertEquals(28, parser.embeddedLength());
    }

    @Test
    void tunnelErrorQuotingOnlyEightBytesAfterTheOuterHeaderCannotBeMatched()
    {
        // RFC 792's minimum: the outer header and 8 bytes, not even the inner header.
        final byte[] tunnelled = IpipFrames.encapsulate(FrameBuilder.tcp().build(), ROUTER_MAC, DIRECTOR_MAC,
            "198.18.0.2", "198.18.1.20", 1);
        final byte[] error = IcmpFrames.error(DIRECTOR_MAC, ROUTER_MAC, "198.18.9.1", "198.18.0.2", 11, 0, 0,
            IcmpFrames.ipPacket(tunnelled), 28);

        assertEquals(IcmpErrorParser.EMBEDDED_TRUNCATED, parse(error));
    }

    @Test
    void otherTypesAreReportedWithTheirType()
    {
        final byte[] echo = IcmpFrames.echoRequest(DIRECTOR_MAC, ROUTER_MAC, "198.18.0.10", "198.18.0.100", 1, 1,
            new byte[8]);
        assertEquals(IcmpErrorParser.OTHER_TYPE, parse(echo));
        assertEquals(IcmpHeader.TYPE_ECHO_REQUEST, parser.icmpType());

        assertEquals(IcmpErrorParser.OTHER_TYPE, parse(errorToVip(5, 1, 0, replyFromRealServer(), 28)), "redirect");
        assertEquals(IcmpErrorParser.OTHER_TYPE, parse(errorToVip(12, 0, 0, replyFromRealServer(), 28)));
    }

    @Test
    void refusesDamagedMessagesWithAReason()
    {
        final byte[] good = errorToVip(3, 4, 1400, replyFromRealServer(), 28);

        final byte[] badChecksum = good.clone();
        badChecksum[good.length - 1] ^= 1;
        assertEquals(IcmpErrorParser.BAD_CHECKSUM, parse(badChecksum));

        assertEquals(IcmpErrorParser.FRAGMENTED, parse(IcmpFrames.withIpByte(good.clone(), 6, 0x20)));
        assertEquals(IcmpErrorParser.MALFORMED, parse(IcmpFrames.withIpByte(good.clone(), 9, 6)), "not ICMP");
        assertEquals(IcmpErrorParser.MALFORMED, parse(IcmpFrames.withIpByte(good.clone(), 0, 0x44)));

        buffer.putBytes(FRAME_OFFSET, good);
        assertEquals(IcmpErrorParser.TRUNCATED, parser.parse(buffer, IP_OFFSET, good.length - 15));
        assertEquals(IcmpErrorParser.TRUNCATED, parser.parse(buffer, IP_OFFSET, 19));

        assertEquals(IcmpErrorParser.EMBEDDED_TRUNCATED, parse(errorToVip(3, 4, 1400, replyFromRealServer(), 23)),
            "the quote stops inside the ports");
        assertEquals(IcmpErrorParser.EMBEDDED_TRUNCATED, parse(errorToVip(3, 4, 1400, replyFromRealServer(), 12)));

        final byte[] notIpv4 = replyFromRealServer();
        notIpv4[14] = 0x65;
        assertEquals(IcmpErrorParser.EMBEDDED_MALFORMED, parse(errorToVip(3, 4, 1400, notIpv4, 28)));

        final byte[] laterFragment = FrameBuilder.udp().src("198.18.0.100", 53).dst("198.18.0.10", 1)
            .fragmentField(0x0010).payloadLength(40).build();
        assertEquals(IcmpErrorParser.EMBEDDED_FRAGMENT, parse(errorToVip(3, 4, 1400, laterFragment, 28)));

        final byte[] ping = IcmpFrames.echoRequest(1, 2, "198.18.0.100", "198.18.0.10", 1, 1, new byte[8]);
        assertEquals(IcmpErrorParser.EMBEDDED_NOT_TCP_UDP, parse(errorToVip(3, 1, 0, ping, 28)));
        assertEquals(CLIENT, parser.embeddedDstAddr(), "addresses are still read");
    }
}
