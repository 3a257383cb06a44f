package io.jlvs.endpoint;

import io.jlvs.fixtures.FrameBuilder;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds IPIP packets for tests: an inner IPv4 packet from {@link FrameBuilder} (its Ethernet header cut off) inside
 * an outer IPv4 header, with checksum code of its own, independent of the endpoint's.
 */
final class IpipPackets
{
    static final int ETHERNET_LENGTH = 14;
    static final int IPV4_LENGTH = 20;
    static final int PROTOCOL_IPIP = 4;
    static final int DEFAULT_TTL = 64;

    private IpipPackets()
    {
    }

    /** The IPv4 packet of a frame built by {@link FrameBuilder}. */
    static byte[] inner(final FrameBuilder builder)
    {
        final byte[] frame = builder.build();
        return Arrays.copyOfRange(frame, ETHERNET_LENGTH, frame.length);
    }

    /** {@code inner} wrapped in a 20-byte outer header, protocol 4, ID 0x0100, DF clear, TTL 64. */
    static byte[] encapsulate(final String outerSrc, final String outerDst, final byte[] inner)
    {
        final ByteBuffer packet = ByteBuffer.allocate(IPV4_LENGTH + inner.length);
        packet.put((byte)0x45).put((byte)0).putShort((short)(IPV4_LENGTH + inner.length)).putShort((short)0x0100)
            .putShort((short)0).put((byte)DEFAULT_TTL).put((byte)PROTOCOL_IPIP).putShort((short)0)
            .putInt(FrameBuilder.address(outerSrc)).putInt(FrameBuilder.address(outerDst));
        packet.putShort(10, (short)checksum(packet.array(), 0, IPV4_LENGTH));
        packet.put(inner);
        return packet.array();
    }

    /** Recomputes the IPv4 header checksum of the header at {@code offset} after a test changed a field. */
    static void fixHeaderChecksum(final byte[] packet, final int offset)
    {
        final int headerLength = (packet[offset] & 0x0F) * 4;
        packet[offset + 10] = 0;
        packet[offset + 11] = 0;
        final int sum = checksum(packet, offset, headerLength);
        packet[offset + 10] = (byte)(sum >>> 8);
        packet[offset + 11] = (byte)sum;
    }

    /** The ones' complement checksum (RFC 1071) of {@code length} bytes. */
    static int checksum(final byte[] data, final int offset, final int length)
    {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2)
        {
            sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0)
        {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }
}
