package io.jlvs.dataplane.codec;

import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import io.jlvs.fixtures.IcmpFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GsoSegmenterTest
{
    private static final int FRAME_OFFSET = 64;
    private static final int OUT_SLOT = 2048;
    private static final int CWR = 0x80;

    private final UnsafeBuffer in = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_OFFSET + 70_000));
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(OUT_SLOT));
    private final GsoSegmenter segmenter = new GsoSegmenter();

    private int load(final byte[] frame)
    {
        in.putBytes(FRAME_OFFSET, frame);
        return frame.length;
    }

    private List<byte[]> drain()
    {
        final List<byte[]> segments = new ArrayList<>();
        int length;
        while ((length = segmenter.next(out, 0, OUT_SLOT)) > 0)
        {
            final byte[] segment = new byte[length];
            out.getBytes(0, segment);
            segments.add(segment);
        }
        assertEquals(0, length, "ends with 0, not an error");
        return segments;
    }

    private static int u16(final byte[] frame, final int offset)
    {
        return ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
    }

    private static int u32(final byte[] frame, final int offset)
    {
        return ByteBuffer.wrap(frame).getInt(offset);
    }

    @Test
    void cutsTcpSuperFrameLikeTheKernelFinAndPshOnLastCwrOnFirst()
    {
        final byte[] superFrame = FrameBuilder.tcp().flags(FrameBuilder.ACK | FrameBuilder.PSH | FrameBuilder.FIN | CWR)
            .sequence(1000, 7).ipId(0x10).fragmentField(0x4000)
            .payload("abcdefghij".getBytes(StandardCharsets.US_ASCII)).partialChecksum().build();
        final int length = load(superFrame);

        assertEquals(3, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4 | VnetHeader.GSO_ECN, 4, 1480));
        final List<byte[]> segments = drain();

        assertEquals(3, segments.size());
        assertEquals(FrameBuilder.ACK | CWR, segments.get(0)[47] & 0xFF);
        // Segment 2: seq 1004, IP ID 0x11, DF kept, flags ACK only, "efgh", both checksums complete (computed
        // separately in Python).
        final byte[] expected = Hex.parse(
            "02 00 00 00 00 02 02 00 00 00 00 10 08 00 45 00" +
            "00 2c 00 11 40 00 40 06 ae 28 c6 12 00 0a c6 12" +
            "00 64 9c 40 00 50 00 00 03 ec 00 00 00 07 50 10" +
            "ff ff b5 eb 00 00 65 66 67 68");
        assertArrayEquals(expected, segments.get(1), () -> Hex.format(segments.get(1)));
        assertEquals(FrameBuilder.ACK | FrameBuilder.PSH | FrameBuilder.FIN, segments.get(2)[47] & 0xFF);
        assertEquals(1008, u32(segments.get(2), 38));
        assertEquals(0x12, u16(segments.get(2), 18));
        assertEquals("ij", new String(Arrays.copyOfRange(segments.get(2), 54, 56), StandardCharsets.US_ASCII));
        for (final byte[] segment : segments)
        {
            assertTrue(FrameBuilder.ipChecksumValid(segment));
            assertTrue(FrameBuilder.transportChecksumValid(segment));
        }
    }

    @Test
    void clampsTcpSegmentsSoEachFitsTheTunnelMtu()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final byte[] payload = new byte[20_000 + random.nextInt(40_000)];
        random.nextBytes(payload);
        final byte[] superFrame = FrameBuilder.tcp().flags(FrameBuilder.ACK).sequence(-100, 1).payload(payload)
            .partialChecksum().build();
        final int length = load(superFrame);

        // gso_size is the client's MSS (1460) but the tunnel leaves 1480 - 40 = 1440 bytes per segment.
        final int count = segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4, 1460, 1480);

        assertEquals((payload.length + 1439) / 1440, count, "seed=" + seed);
        assertEquals(1440, segmenter.segmentSize());
        final ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int expectedSequence = -100;
        for (final byte[] segment : drain())
        {
            assertTrue(segment.length - 14 <= 1480, "seed=" + seed);
            assertEquals(expectedSequence, u32(segment, 38), "seed=" + seed);
            assertTrue(FrameBuilder.transportChecksumValid(segment), "seed=" + seed);
            joined.write(segment, 54, segment.length - 54);
            expectedSequence += segment.length - 54;
        }
        assertArrayEquals(payload, joined.toByteArray(), "seed=" + seed);
    }

    @Test
    void cutsUdpSuperFrameIntoDatagramsOfGsoSizeWhateverTheMtu()
    {
        final byte[] superFrame = FrameBuilder.udp().ipId(0x10).payload("abcdefghij".getBytes(StandardCharsets.US_ASCII))
            .partialChecksum().build();
        final int length = load(superFrame);

        assertEquals(3, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_UDP_L4, 4, 30));
        final List<byte[]> segments = drain();

        final byte[] expected = Hex.parse(
            "02 00 00 00 00 02 02 00 00 00 00 10 08 00 45 00" +
            "00 20 00 11 00 00 40 11 ee 29 c6 12 00 0a c6 12" +
            "00 64 9c 40 00 35 00 0c 09 ff 65 66 67 68");
        assertArrayEquals(expected, segments.get(1), () -> Hex.format(segments.get(1)));
        assertEquals(8 + 2, u16(segments.get(2), 38), "last datagram's UDP length");
        for (final byte[] segment : segments)
        {
            assertTrue(FrameBuilder.transportChecksumValid(segment));
            assertTrue(FrameBuilder.ipChecksumValid(segment));
        }
    }

    @Test
    void superFrameWithoutPayloadLeavesAsOneFrame()
    {
        final byte[] ack = FrameBuilder.tcp().flags(FrameBuilder.ACK).partialChecksum().build();
        final int length = load(ack);

        assertEquals(1, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4, 1448, 1480));
        final List<byte[]> segments = drain();

        assertEquals(1, segments.size());
        assertEquals(ack.length, segments.get(0).length);
        assertTrue(FrameBuilder.transportChecksumValid(segments.get(0)));
    }

    @Test
    void refusesWhatItCannotSegment()
    {
        final byte[] tcp = FrameBuilder.tcp().payloadLength(3000).build();
        final int length = load(tcp);
        assertEquals(GsoSegmenter.UNSUPPORTED_GSO_TYPE, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_UDP,
            1448, 1480), "UFO");
        assertEquals(GsoSegmenter.UNSUPPORTED_GSO_TYPE, segmenter.begin(in, FRAME_OFFSET, length,
            VnetHeader.GSO_TCPV6, 1448, 1480));
        assertEquals(GsoSegmenter.PROTOCOL_MISMATCH, segmenter.begin(in, FRAME_OFFSET, length,
            VnetHeader.GSO_UDP_L4, 1448, 1480));
        assertEquals(GsoSegmenter.BAD_SEGMENT_SIZE, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4,
            0, 1480));
        assertEquals(GsoSegmenter.BAD_SEGMENT_SIZE, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4,
            1448, 40), "no room after 40 bytes of headers");
        assertEquals(GsoSegmenter.TRUNCATED, segmenter.begin(in, FRAME_OFFSET, length - 1, VnetHeader.GSO_TCPV4,
            1448, 1480));
        assertEquals(GsoSegmenter.TRUNCATED, segmenter.begin(in, FRAME_OFFSET, 33, VnetHeader.GSO_TCPV4, 1448, 1480));

        final byte[] badDataOffset = tcp.clone();
        badDataOffset[46] = 0x40;
        load(badDataOffset);
        assertEquals(GsoSegmenter.MALFORMED, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4,
            1448, 1480));

        final byte[] fragment = IcmpFrames.withIpByte(tcp.clone(), 6, 0x20);
        load(fragment);
        assertEquals(GsoSegmenter.MALFORMED, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4,
            1448, 1480), "an IP fragment is not a super-frame");
        assertEquals(0, segmenter.next(out, 0, OUT_SLOT), "nothing to write after a refusal");
    }

    @Test
    void reportsNoRoomWithoutWritingOrAdvancing()
    {
        final byte[] superFrame = FrameBuilder.tcp().flags(FrameBuilder.ACK).payloadLength(3000).build();
        final int length = load(superFrame);
        assertEquals(3, segmenter.begin(in, FRAME_OFFSET, length, VnetHeader.GSO_TCPV4, 1000, 1480));

        out.setMemory(0, OUT_SLOT, (byte)0x5A);
        assertEquals(GsoSegmenter.NO_ROOM, segmenter.next(out, 0, 1053));
        assertEquals(0x5A, out.getByte(0));
        assertEquals(3, segmenter.remaining());
        assertEquals(1054, segmenter.next(out, 0, 1054));
        assertEquals(2, segmenter.remaining());
    }
}
