package io.jlvs.dataplane.codec;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import io.jlvs.fixtures.IcmpFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpMessagesTest
{
    private static final int FRAME_OFFSET = 64;
    private static final int IP_OFFSET = FRAME_OFFSET + 14;
    /** The size of the forwarding thread's scratch slots, less a virtio-net header. */
    private static final int SCRATCH = 118;
    private static final long CLIENT_MAC = 0x02_00_00_00_00_10L;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_01L;

    private final UnsafeBuffer in = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_OFFSET + 2048));
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(256));

    private int load(final byte[] frame)
    {
        in.setMemory(0, in.capacity(), (byte)0);
        in.putBytes(FRAME_OFFSET, frame);
        return frame.length;
    }

    private byte[] written(final int length)
    {
        final byte[] frame = new byte[length];
        out.getBytes(0, frame);
        return frame;
    }

    private int fragNeeded(final byte[] offending)
    {
        final int length = load(offending);
        return IcmpMessages.writeFragmentationNeeded(out, 0, SCRATCH, CLIENT_MAC, DIRECTOR_MAC, 1480, 7, in,
            IP_OFFSET, length - 14);
    }

    @Test
    void fragmentationNeededComesFromTheVipQuotingTheHeaderAndEightBytes()
    {
        final byte[] offending = FrameBuilder.tcp().flags(FrameBuilder.ACK).fragmentField(0x4000)
            .payloadLength(1460).build();

        final int length = fragNeeded(offending);

        // IP: TOS 0xc0, 56 bytes, ID 7, no DF, TTL 64, ICMP, 198.18.0.100 (VIP) -> 198.18.0.10 (client) |
        // ICMP 3/4, next-hop MTU 1480 (0x05c8) | the client's IP header and its TCP ports and sequence number.
        // Checksums computed separately in Python.
        final byte[] expected = Hex.parse(
            "02 00 00 00 00 10 02 00 00 00 00 01 08 00 45 c0" +
            "00 38 00 07 00 00 40 01 ed 6b c6 12 00 64 c6 12" +
            "00 0a 03 04 5a a2 00 00 05 c8 45 00 05 dc 00 01" +
            "40 00 40 06 a8 88 c6 12 00 0a c6 12 00 64 9c 40" +
            "00 50 00 00 00 01");
        assertEquals(expected.length, length);
        assertArrayEquals(expected, written(length), () -> Hex.format(written(length)));
        assertTrue(IcmpFrames.icmpChecksumValid(written(length)));
        assertTrue(IcmpFrames.ipChecksumValid(written(length), 14));
    }

    @Test
    void keepsTheOffendingTosBitsUnderInternetworkControlPrecedence()
    {
        final byte[] offending = IcmpFrames.withIpByte(FrameBuilder.tcp().build(), 1, 0xB8 | 0x02);

        final int length = fragNeeded(offending);

        // 0xba keeps its IPTOS_TOS_MASK bits (0x1e, RFC 1349's TOS field, as icmp_send does): 0x1a, precedence
        // bits replaced.
        assertEquals(0xC0 | 0x1A, written(length)[15] & 0xFF);
    }

    @Test
    void quotesWhatThereIsWhenThePacketHasFewerThanEightBytesAfterItsHeader()
    {
        final byte[] offending = IcmpFrames.ipFrame(1, 2, 0, 3, 0, 64, 200, "198.18.0.10", "198.18.0.100",
            new byte[] {1, 2, 3});

        final int length = fragNeeded(offending);

        assertEquals(14 + 20 + 8 + 23, length);
        assertTrue(IcmpFrames.icmpChecksumValid(written(length)));
    }

    @Test
    void theLargestErrorFitsAScratchSlot()
    {
        final byte[] offending = FrameBuilder.udp().payloadLength(100).build();
        final byte[] withOptions = new byte[offending.length + 40];
        System.arraycopy(offending, 0, withOptions, 0, 34);
        System.arraycopy(offending, 34, withOptions, 74, offending.length - 34);
        Arrays.fill(withOptions, 34, 74, (byte)1); // 40 bytes of NOP options
        withOptions[14] = 0x4F;
        withOptions[17] = (byte)(withOptions[17] + 40);
        IcmpFrames.rechecksumIp(withOptions, 14);

        final int length = fragNeeded(withOptions);

        assertEquals(IcmpMessages.MAX_ERROR_FRAME_LENGTH, length);
        assertTrue(length <= SCRATCH);
        assertTrue(IcmpFrames.icmpChecksumValid(written(length)));
    }

    @Test
    void neverAnswersAnErrorANonFirstFragmentOrAnAddressThatIsNoHost()
    {
        final byte[] icmpError = IcmpFrames.error(1, 2, "198.18.0.10", "198.18.0.100", 3, 3, 0,
            IcmpFrames.ipPacket(FrameBuilder.udp().build()), 28);
        assertEquals(IcmpMessages.SUPPRESSED_ICMP_ERROR, fragNeeded(icmpError));

        final byte[] unknownIcmp = IcmpFrames.ipFrame(1, 2, 0, 3, 0, 64, FrameBuilder.ICMP, "198.18.0.10",
            "198.18.0.100", new byte[] {42, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(IcmpMessages.SUPPRESSED_ICMP_ERROR, fragNeeded(unknownIcmp), "unknown types count as errors");

        final byte[] echo = IcmpFrames.echoRequest(1, 2, "198.18.0.10", "198.18.0.100", 1, 1, new byte[2000]);
        assertTrue(fragNeeded(echo) > 0, "an echo request may be answered with an error");

        final byte[] laterFragment = FrameBuilder.udp().fragmentField(0x2000 | 185).payloadLength(100).build();
        assertEquals(IcmpMessages.SUPPRESSED_FRAGMENT, fragNeeded(laterFragment));

        for (final String source : new String[] {"0.0.0.0", "127.0.0.1", "224.0.0.5", "255.255.255.255", "240.0.0.1"})
        {
            final byte[] fromNobody = FrameBuilder.tcp().src(source, 1).build();
            assertEquals(IcmpMessages.SUPPRESSED_SOURCE, fragNeeded(fromNobody), source);
        }
    }

    @Test
    void refusesWithoutWritingWhenTheRoomIsTooSmallOrTheQuoteIsBad()
    {
        final byte[] offending = FrameBuilder.tcp().build();
        final int length = load(offending);
        out.setMemory(0, out.capacity(), (byte)0x5A);

        assertEquals(IcmpMessages.NO_ROOM, IcmpMessages.writeFragmentationNeeded(out, 0, 69, CLIENT_MAC, DIRECTOR_MAC,
            1480, 7, in, IP_OFFSET, length - 14));
        assertEquals(0x5A, out.getByte(0));
        assertEquals(IcmpMessages.QUOTE_TRUNCATED, IcmpMessages.writeFragmentationNeeded(out, 0, SCRATCH, CLIENT_MAC,
            DIRECTOR_MAC, 1480, 7, in, IP_OFFSET, 19));

        final byte[] ipv6 = offending.clone();
        ipv6[14] = 0x65;
        load(ipv6);
        assertEquals(IcmpMessages.QUOTE_MALFORMED, IcmpMessages.writeFragmentationNeeded(out, 0, SCRATCH, CLIENT_MAC,
            DIRECTOR_MAC, 1480, 7, in, IP_OFFSET, length - 14));

        final byte[] longIhl = offending.clone();
        longIhl[14] = 0x4F;
        load(longIhl);
        assertEquals(IcmpMessages.QUOTE_TRUNCATED, IcmpMessages.writeFragmentationNeeded(out, 0, SCRATCH, CLIENT_MAC,
            DIRECTOR_MAC, 1480, 7, in, IP_OFFSET, 40), "a 60-byte header in 40 bytes");
    }

    @Test
    void timeExceededAnswersTheClientFromTheVip()
    {
        final byte[] offending = FrameBuilder.tcp().ttl(1).build();
        final int frameLength = load(offending);

        final int length = IcmpMessages.writeAnswer(out, 0, SCRATCH, CLIENT_MAC, DIRECTOR_MAC,
            IcmpHeader.TYPE_TIME_EXCEEDED, IcmpHeader.CODE_TTL_EXCEEDED, 0, 8, in, IP_OFFSET, frameLength - 14);

        final byte[] frame = written(length);
        assertEquals(11, frame[34]);
        assertEquals(0, frame[35]);
        assertEquals(FrameBuilder.address("198.18.0.100"), ByteBuffer.wrap(frame).getInt(26));
        assertEquals(FrameBuilder.address("198.18.0.10"), ByteBuffer.wrap(frame).getInt(30));
        assertTrue(IcmpFrames.icmpChecksumValid(frame));
    }

    @Test
    void answersAnEchoRequestInPlaceFromTheVip()
    {
        final byte[] request = IcmpFrames.echoRequest(DIRECTOR_MAC, CLIENT_MAC, "198.18.0.10", "198.18.0.100",
            0x1234, 1, "ping-data".getBytes(StandardCharsets.US_ASCII));
        final byte[] padded = Arrays.copyOf(request, 60);
        load(padded);

        final int length = IcmpMessages.echoReplyInPlace(in, FRAME_OFFSET, padded.length, DIRECTOR_MAC, 0x999);

        // Ethernet back to the sender; IP: TOS kept, ID 0x999, TTL 64, VIP -> client; ICMP type 0, same identifier,
        // sequence and (odd-length) data; padding dropped. Checksums computed separately in Python.
        final byte[] expected = Hex.parse(
            "02 00 00 00 00 10 02 00 00 00 00 01 08 00 45 00" +
            "00 25 09 99 00 00 40 01 e4 ac c6 12 00 64 c6 12" +
            "00 0a 00 00 1f 21 12 34 00 01 70 69 6e 67 2d 64" +
            "61 74 61");
        assertEquals(expected.length, length);
        final byte[] reply = new byte[length];
        in.getBytes(FRAME_OFFSET, reply);
        assertArrayEquals(expected, reply, () -> Hex.format(reply));
    }

    @Test
    void refusesEchoRequestsItShouldNotAnswerLeavingThemUntouched()
    {
        final byte[] request = IcmpFrames.echoRequest(DIRECTOR_MAC, CLIENT_MAC, "198.18.0.10", "198.18.0.100", 1, 1,
            new byte[32]);

        final byte[] badChecksum = request.clone();
        badChecksum[request.length - 1] ^= 1;
        assertEchoRefused(IcmpMessages.BAD_CHECKSUM, badChecksum);

        final byte[] reply = request.clone();
        reply[34] = 0;
        assertEchoRefused(IcmpMessages.NOT_ECHO_REQUEST, reply);

        assertEchoRefused(IcmpMessages.FRAGMENTED, IcmpFrames.withIpByte(request.clone(), 6, 0x20));
        assertEchoRefused(IcmpMessages.SUPPRESSED_SOURCE,
            IcmpFrames.echoRequest(DIRECTOR_MAC, CLIENT_MAC, "255.255.255.255", "198.18.0.100", 1, 1, new byte[4]));
        assertEchoRefused(IcmpMessages.QUOTE_MALFORMED, IcmpFrames.withIpByte(request.clone(), 9, 17));

        final byte[] withOptions = new byte[request.length + 4];
        System.arraycopy(request, 0, withOptions, 0, 34);
        withOptions[34] = 1;
        withOptions[35] = 1;
        withOptions[36] = 1;
        withOptions[37] = 1;
        System.arraycopy(request, 34, withOptions, 38, request.length - 34);
        withOptions[14] = 0x46;
        withOptions[17] = (byte)(withOptions[17] + 4);
        IcmpFrames.rechecksumIp(withOptions, 14);
        assertEchoRefused(IcmpMessages.HAS_OPTIONS, withOptions);

        load(request);
        assertEquals(IcmpMessages.QUOTE_TRUNCATED, IcmpMessages.echoReplyInPlace(in, FRAME_OFFSET, request.length - 1,
            DIRECTOR_MAC, 1));
        assertEquals(IcmpMessages.QUOTE_TRUNCATED, IcmpMessages.echoReplyInPlace(in, FRAME_OFFSET, 30, DIRECTOR_MAC, 1));
    }

    private void assertEchoRefused(final int reason, final byte[] request)
    {
        final int length = load(request);
        assertEquals(reason, IcmpMessages.echoReplyInPlace(in, FRAME_OFFSET, length, DIRECTOR_MAC, 1));
        final byte[] after = new byte[length];
        in.getBytes(FRAME_OFFSET, after);
        assertArrayEquals(request, after, "untouched");
    }

    @Test
    void hostAddressesAreWhatRfc1122LetsAnErrorGoTo()
    {
        assertTrue(IcmpMessages.isHostAddress(FrameBuilder.address("198.18.0.10")));
        assertTrue(IcmpMessages.isHostAddress(FrameBuilder.address("223.255.255.254")));
        assertFalse(IcmpMessages.isHostAddress(0));
        assertFalse(IcmpMessages.isHostAddress(FrameBuilder.address("127.0.0.1")));
        assertFalse(IcmpMessages.isHostAddress(FrameBuilder.address("239.1.1.1")));
    }
}
