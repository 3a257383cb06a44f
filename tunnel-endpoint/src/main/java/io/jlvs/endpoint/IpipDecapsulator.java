package io.jlvs.endpoint;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decides what happens to one received IPIP packet: checks the outer and the inner IPv4 header, bounds first, and
 * either finds the inner packet to deliver or names the drop reason. Per packet it allocates nothing and throws
 * nothing; it reads the packet in place and keeps the result of the last call in fields.
 * <p>
 * Outer fragments are counted and dropped, not reassembled: the kernel reassembles IP fragments before it hands a
 * datagram to a raw socket ({@code ip_local_deliver} defragments before {@code raw_local_deliver}), so a fragment
 * here means something bypassed that, and holding state for it would only open a memory hole.
 * <p>
 * A sender whose checksum offload was not done yet (a packet that crossed veth, or a GRO super-packet) leaves only
 * the pseudo-header sum in the TCP/UDP checksum field; the raw socket hands those bytes on as they are, and the
 * kernel would drop the inner packet as corrupt once it arrives through the TUN device. Such a packet is recognised
 * (the field equals the folded pseudo-header sum; a fully checksummed packet has that value once in 65536) and
 * reported through {@link #checksumFieldOffset()}, so that it is written as CHECKSUM_PARTIAL, as veth would have
 * delivered it.
 */
final class IpipDecapsulator
{
    private static final int WORD_MASK = 0xFFFF;
    private static final int BYTE_MASK = 0xFF;
    private static final int HALF_WORD_SHIFT = 16;
    /** A correct header sums (ones' complement, folded) to all ones. */
    private static final int CHECKSUM_OK = 0xFFFF;
    private static final int UDP_HEADER_LENGTH = 8;
    private static final int TCP_MIN_HEADER_LENGTH = 20;
    private static final int NONE = -1;

    private final int[] vips;
    private int innerOffset;
    private int innerLength;
    private int innerHeaderLength;
    private int checksumFieldOffset = NONE;

    /**
     * @param vips the VIPs (host byte order) inner packets must be addressed to; empty accepts any destination,
     *             which turns the host into a relay for anyone who can send it IPIP (see {@link HostCheck}).
     */
    IpipDecapsulator(final int[] vips)
    {
        this.vips = vips.clone();
        Arrays.sort(this.vips);
    }

    /**
     * Checks the IPIP packet (outer IPv4 header first) at {@code offset}, {@code length} bytes.
     *
     * @return {@link EndpointCounter#DELIVERED} when the inner packet may be delivered (then {@link #innerOffset()},
     * {@link #innerLength()} and {@link #checksumFieldOffset()} describe it), otherwise the drop reason.
     */
    EndpointCounter decapsulate(final DirectBuffer buffer, final int offset, final int length)
    {
        checksumFieldOffset = NONE;
        if (length < Ipv4Header.MIN_LENGTH)
        {
            return EndpointCounter.DROP_OUTER_TRUNCATED;
        }
        final int versionIhl = buffer.getByte(offset + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        final int outerHeaderLength = (versionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        if ((versionIhl >>> Ipv4Header.VERSION_SHIFT) != Ipv4Header.VERSION_4 ||
            outerHeaderLength < Ipv4Header.MIN_LENGTH)
        {
            return EndpointCounter.DROP_OUTER_MALFORMED;
        }
        final int outerTotal = unsignedShort(buffer, offset + Ipv4Header.TOTAL_LENGTH_OFFSET);
        if (outerTotal < outerHeaderLength)
        {
            return EndpointCounter.DROP_OUTER_MALFORMED;
        }
        if (outerHeaderLength > length || outerTotal > length)
        {
            return EndpointCounter.DROP_OUTER_TRUNCATED;
        }
        if ((buffer.getByte(offset + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK) != Ipv4Header.PROTOCOL_IPIP)
        {
            return EndpointCounter.DROP_OUTER_NOT_IPIP;
        }
        if (isFragment(buffer, offset))
        {
            return EndpointCounter.DROP_OUTER_FRAGMENT;
        }

        final int inner = offset + outerHeaderLength;
        final int innerAvailable = outerTotal - outerHeaderLength;
        if (innerAvailable < Ipv4Header.MIN_LENGTH)
        {
            return EndpointCounter.DROP_INNER_TRUNCATED;
        }
        final int innerVersionIhl = buffer.getByte(inner + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        if ((innerVersionIhl >>> Ipv4Header.VERSION_SHIFT) != Ipv4Header.VERSION_4)
        {
            return EndpointCounter.DROP_INNER_NOT_IPV4;
        }
        final int headerLength = (innerVersionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        if (headerLength < Ipv4Header.MIN_LENGTH)
        {
            return EndpointCounter.DROP_INNER_MALFORMED;
        }
        if (headerLength > innerAvailable)
        {
            return EndpointCounter.DROP_INNER_TRUNCATED;
        }
        final int innerTotal = unsignedShort(buffer, inner + Ipv4Header.TOTAL_LENGTH_OFFSET);
        if (innerTotal < headerLength)
        {
            return EndpointCounter.DROP_INNER_MALFORMED;
        }
        if (innerTotal > innerAvailable)
        {
            return EndpointCounter.DROP_INNER_TRUNCATED;
        }
        if (onesComplementSum(buffer, inner, headerLength, 0) != CHECKSUM_OK)
        {
            return EndpointCounter.DROP_INNER_BAD_CHECKSUM;
        }
        if (vips.length != 0 &&
            Arrays.binarySearch(vips, buffer.getInt(inner + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN)) < 0)
        {
            return EndpointCounter.DROP_INNER_NOT_VIP;
        }

        innerOffset = inner;
        innerLength = innerTotal;
        innerHeaderLength = headerLength;
        if (!isFragment(buffer, inner))
        {
            checksumFieldOffset = partialChecksumField(buffer, inner, headerLength, innerTotal - headerLength);
        }
        return EndpointCounter.DELIVERED;
    }

    /** Start of the inner IPv4 packet in the buffer, after a {@link EndpointCounter#DELIVERED} verdict. */
    int innerOffset()
    {
        return innerOffset;
    }

    /** Length of the inner packet (its own Total Length: trailing bytes of the outer packet are not part of it). */
    int innerLength()
    {
        return innerLength;
    }

    /** Length of the inner IPv4 header, where the transport header starts. */
    int innerHeaderLength()
    {
        return innerHeaderLength;
    }

    /**
     * Offset of the TCP/UDP checksum field from the inner transport header when it holds only the pseudo-header sum
     * (a partial checksum), or -1 when the packet is to be checked by the kernel as usual.
     */
    int checksumFieldOffset()
    {
        return checksumFieldOffset;
    }

    private static int partialChecksumField(
        final DirectBuffer buffer, final int ip, final int headerLength, final int transportLength)
    {
        final int protocol = buffer.getByte(ip + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK;
        final int field;
        if (protocol == Ipv4Header.PROTOCOL_TCP && transportLength >= TCP_MIN_HEADER_LENGTH)
        {
            field = Ipv4Header.TCP_CHECKSUM_OFFSET;
        }
        else if (protocol == Ipv4Header.PROTOCOL_UDP && transportLength >= UDP_HEADER_LENGTH)
        {
            field = Ipv4Header.UDP_CHECKSUM_OFFSET;
        }
        else
        {
            return NONE;
        }
        final int pseudo = onesComplementSum(buffer, ip + Ipv4Header.SRC_ADDR_OFFSET,
            Ipv4Header.MIN_LENGTH - Ipv4Header.SRC_ADDR_OFFSET, protocol + transportLength);
        return unsignedShort(buffer, ip + headerLength + field) == pseudo ? field : NONE;
    }

    private static boolean isFragment(final DirectBuffer buffer, final int ip)
    {
        return (unsignedShort(buffer, ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET) &
            (Ipv4Header.FLAG_MORE_FRAGMENTS | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0;
    }

    private static int unsignedShort(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, ByteOrder.BIG_ENDIAN) & WORD_MASK;
    }

    /** Folded ones' complement sum of {@code length} (even) bytes plus {@code initial}; never 0 for a non-zero sum. */
    static int onesComplementSum(final DirectBuffer buffer, final int offset, final int length, final int initial)
    {
        long sum = initial;
        for (int i = 0; i < length; i += 2)
        {
            sum += unsignedShort(buffer, offset + i);
        }
        while ((sum >>> HALF_WORD_SHIFT) != 0)
        {
            sum = (sum & WORD_MASK) + (sum >>> HALF_WORD_SHIFT);
        }
        return (int)sum;
    }
}
