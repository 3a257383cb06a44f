package io.jlvs.dataplane.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): computing it whole, and completing the partial checksums that veth and virtio
 * hand over ({@code CHECKSUM_PARTIAL}: the field holds the pseudo-header sum, the rest is left to the NIC).
 */
public final class Checksums
{
    private static final int WORD_MASK = 0xFFFF;
    private static final int BYTE_MASK = 0xFF;
    /** RFC 768: a computed UDP checksum of 0 is sent as all ones, 0 meaning "no checksum". */
    private static final int MANGLED_ZERO = 0xFFFF;

    private Checksums()
    {
    }

    /** Adds the 16-bit big-endian words of {@code [offset, offset + length)} to {@code initial}; odd tail padded. */
    public static long sum(final DirectBuffer buffer, final int offset, final int length, final long initial)
    {
        long sum = initial;
        int i = offset;
        final int end = offset + length;
        final int wordEnd = end - 7;
        while (i < wordEnd)
        {
            // Eight bytes at a time: the one's-complement sum is byte-order independent in its 16-bit words.
            final long word = buffer.getLong(i, ByteOrder.BIG_ENDIAN);
            sum += (word >>> 48) + ((word >>> 32) & WORD_MASK) + ((word >>> 16) & WORD_MASK) + (word & WORD_MASK);
            i += 8;
        }
        while (i < end - 1)
        {
            sum += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & WORD_MASK;
            i += 2;
        }
        if (i < end)
        {
            sum += (buffer.getByte(i) & BYTE_MASK) << 8;
        }
        return sum;
    }

    /**
     * Folds a running sum to 16 bits (not complemented). Four end-around-carry steps fold any sum below 2^48 (a sum
     * of up to 2^32 16-bit words), with no loop and so no branch or safepoint poll on the per-packet path.
     */
    public static int fold(final long sum)
    {
        long s = (sum & WORD_MASK) + (sum >>> 16);
        s = (s & WORD_MASK) + (s >>> 16);
        s = (s & WORD_MASK) + (s >>> 16);
        return (int)((s & WORD_MASK) + (s >>> 16));
    }

    /** The IPv4 header checksum over {@code headerLength} bytes, computed as if the field were zero. */
    public static int ipv4Header(final DirectBuffer buffer, final int ipOffset, final int headerLength)
    {
        final long sum = sum(buffer, ipOffset, headerLength, 0) -
            (buffer.getShort(ipOffset + Ipv4Header.CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK);
        return ~fold(sum) & WORD_MASK;
    }

    /** The IPv4 pseudo-header sum for a transport segment of {@code l4Length} bytes (not folded). */
    public static long pseudoHeader(final int srcAddr, final int dstAddr, final int protocol, final int l4Length)
    {
        return ((srcAddr >>> 16) & WORD_MASK) + (srcAddr & WORD_MASK) +
            ((dstAddr >>> 16) & WORD_MASK) + (dstAddr & WORD_MASK) + protocol + l4Length;
    }

    /**
     * Completes a partial checksum in place: sums {@code [csumStart, end)} (whose checksum field, at
     * {@code csumField}, already holds the pseudo-header sum) and stores the complement, as a NIC would.
     */
    public static void completePartial(
        final MutableDirectBuffer buffer, final int csumStart, final int csumField, final int end)
    {
        final int folded = ~fold(sum(buffer, csumStart, end - csumStart, 0)) & WORD_MASK;
        buffer.putShort(csumField, (short)(folded == 0 ? MANGLED_ZERO : folded), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Computes the whole TCP/UDP checksum of the IPv4 packet at {@code ipOffset} as if its field were zero
     * (for verifying frames in tests and for frames that carry no partial sum).
     */
    public static int transport(final DirectBuffer buffer, final int ipOffset)
    {
        final int ihl = (buffer.getByte(ipOffset) & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        final int total = buffer.getShort(ipOffset + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        final int protocol = buffer.getByte(ipOffset + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK;
        final int l4 = ipOffset + ihl;
        final int l4Length = total - ihl;
        final int field = l4 + (protocol == Ipv4Header.PROTOCOL_UDP ? UdpHeader.CHECKSUM_OFFSET : TcpHeader.CHECKSUM_OFFSET);
        final long sum = pseudoHeader(
            buffer.getInt(ipOffset + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN),
            buffer.getInt(ipOffset + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN), protocol, l4Length) +
            sum(buffer, l4, l4Length, 0) - (buffer.getShort(field, ByteOrder.BIG_ENDIAN) & WORD_MASK);
        final int folded = ~fold(sum) & WORD_MASK;
        return protocol == Ipv4Header.PROTOCOL_UDP && folded == 0 ? MANGLED_ZERO : folded;
    }
}
