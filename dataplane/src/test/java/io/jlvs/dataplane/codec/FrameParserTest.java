package io.jlvs.dataplane.codec;

import io.jlvs.fixtures.FrameBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameParserTest
{
    private static final int HEADROOM = 16;

    private static byte[] ack()
    {
        return FrameBuilder.tcp().src("198.18.64.1", 40000).dst("198.18.0.100", 80).flags(FrameBuilder.ACK).build();
    }

    @Test
    void readsAddressesPortsAndFlagsOfATcpSegment()
    {
        final byte[] frame = ack();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADROOM + frame.length]);
        buffer.putBytes(HEADROOM, frame);
        final FrameParser parser = new FrameParser();

        assertEquals(FrameParser.IPV4, parser.parse(buffer, HEADROOM, frame.length));
        assertEquals(FrameBuilder.TCP, parser.protocol());
        assertEquals(FrameBuilder.address("198.18.64.1"), parser.srcAddr());
        assertEquals(FrameBuilder.address("198.18.0.100"), parser.dstAddr());
        assertEquals(40000, parser.srcPort());
        assertEquals(80, parser.dstPort());
        assertEquals(FrameBuilder.ACK, parser.tcpFlags());
        assertEquals(HEADROOM + EthernetHeader.LENGTH, parser.l3Offset());
        assertTrue(parser.hasPorts());
    }

    @Test
    void refusesAFrameLongerThanTheBufferItLiesInWithoutReadingPastIt()
    {
        final byte[] frame = ack();
        // The buffer ends inside the TCP header: a length that says otherwise must not lead the parser past it.
        final int cut = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + 4;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADROOM + cut]);
        buffer.putBytes(HEADROOM, frame, 0, cut);
        final FrameParser parser = new FrameParser();

        assertEquals(FrameParser.TRUNCATED_ETHERNET, parser.parse(buffer, HEADROOM, frame.length));
        assertFalse(parser.hasPorts());
        assertEquals(FrameParser.TRUNCATED_ETHERNET, parser.parse(buffer, -1, cut));
    }

    @Test
    void refusesAFrameShorterThanItsIpTotalLength()
    {
        final byte[] frame = ack();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final FrameParser parser = new FrameParser();
        final int packetEnd = EthernetHeader.LENGTH +
            buffer.getShort(EthernetHeader.LENGTH + Ipv4Header.TOTAL_LENGTH_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
        // The IP total length still says the whole segment: the frame is shorter than the packet it announces.
        assertEquals(FrameParser.TRUNCATED_IP, parser.parse(buffer, 0, packetEnd - 1));
        assertEquals(FrameParser.IPV4, parser.parse(buffer, 0, packetEnd));
    }
}
