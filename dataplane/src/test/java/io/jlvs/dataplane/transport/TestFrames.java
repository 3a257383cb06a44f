package io.jlvs.dataplane.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/** Frames for transport tests: marker frames of an experimental EtherType that nothing else on the lab sends. */
public final class TestFrames
{
    /** IEEE 802 "local experimental" EtherType 1: no stack handles it, so the frames only meet our sockets. */
    public static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final int PAYLOAD_OFFSET = 14;
    public static final int MIN_FRAME = 60;
    private static final int TAG_OFFSET = PAYLOAD_OFFSET;
    private static final int SEQ_OFFSET = TAG_OFFSET + 4;
    private static final int MAC_BYTES = 6;

    private TestFrames()
    {
    }

    /** A minimum-size marker frame carrying {@code tag} (the test run's) and {@code sequence}. */
    public static byte[] marker(final long dstMac, final long srcMac, final int tag, final int sequence)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[MIN_FRAME]);
        ethernet(frame, dstMac, srcMac, ETHERTYPE_EXPERIMENTAL);
        frame.putInt(TAG_OFFSET, tag, ByteOrder.BIG_ENDIAN);
        frame.putInt(SEQ_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        return frame.byteArray();
    }

    public static void ethernet(final UnsafeBuffer frame, final long dstMac, final long srcMac, final int etherType)
    {
        for (int i = 0; i < MAC_BYTES; i++)
        {
            frame.putByte(i, (byte)(dstMac >>> (8 * (MAC_BYTES - 1 - i))));
            frame.putByte(MAC_BYTES + i, (byte)(srcMac >>> (8 * (MAC_BYTES - 1 - i))));
        }
        frame.putShort(ETHERTYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
    }

    /** True when the frame at {@code offset} is a marker of run {@code tag}. */
    public static boolean isMarker(final DirectBuffer buffer, final int offset, final int length, final int tag)
    {
        return length >= SEQ_OFFSET + 4 &&
            (buffer.getShort(offset + ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) == ETHERTYPE_EXPERIMENTAL &&
            buffer.getInt(offset + TAG_OFFSET, ByteOrder.BIG_ENDIAN) == tag;
    }

    public static int sequence(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(SEQ_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static int etherType(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getShort(ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * An Ethernet/IPv4/UDP frame with a correct IPv4 header checksum (the UDP checksum is 0: none, legal in IPv4).
     */
    public static byte[] udp(
        final long dstMac, final long srcMac, final int srcIp, final int dstIp, final int srcPort, final int dstPort,
        final int payloadLength)
    {
        final int ipLength = 20 + 8 + payloadLength;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[Math.max(MIN_FRAME, PAYLOAD_OFFSET + ipLength)]);
        ethernet(frame, dstMac, srcMac, ETHERTYPE_IPV4);
        final int ip = PAYLOAD_OFFSET;
        frame.putByte(ip, (byte)0x45);
        frame.putShort(ip + 2, (short)ipLength, ByteOrder.BIG_ENDIAN);
        frame.putByte(ip + 8, (byte)64);
        frame.putByte(ip + 9, (byte)17);
        frame.putInt(ip + 12, srcIp, ByteOrder.BIG_ENDIAN);
        frame.putInt(ip + 16, dstIp, ByteOrder.BIG_ENDIAN);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += frame.getShort(ip + i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        frame.putShort(ip + 10, (short)~sum, ByteOrder.BIG_ENDIAN);
        final int udp = ip + 20;
        frame.putShort(udp, (short)srcPort, ByteOrder.BIG_ENDIAN);
        frame.putShort(udp + 2, (short)dstPort, ByteOrder.BIG_ENDIAN);
        frame.putShort(udp + 4, (short)(8 + payloadLength), ByteOrder.BIG_ENDIAN);
        return frame.byteArray();
    }
}
