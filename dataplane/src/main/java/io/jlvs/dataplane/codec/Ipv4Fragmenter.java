package io.jlvs.dataplane.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Cuts an IPv4 packet into fragments that fit an MTU (RFC 791), the way the kernel's {@code ip_do_fragment} does:
 * every fragment keeps the ID and the header length; options without the copy flag are overwritten with NOPs after
 * the first fragment ({@code ip_options_fragment}); DF is cleared; MF is set on all but the last, and on the last
 * too when the packet was itself a non-last fragment; offsets continue from the packet's own.
 * <p>
 * For TUN the caller fragments the inner packet to the tunnel MTU and encapsulates each fragment, rather than
 * fragmenting the outer IPIP packet as the kernel does: each piece then decapsulates on its own (a real server's
 * {@code tunnel-endpoint} reads the outer packets from a packet socket, before any reassembly) and the real server's
 * stack reassembles the client's datagram. Whether the packet may be fragmented (DF, ICMP) is the caller's decision.
 * <p>
 * A flyweight reused for every packet: {@link #begin} checks it and counts the fragments, {@link #next} writes them
 * one at a time, each a complete Ethernet frame (the original Ethernet header copied). No allocation, no exception on
 * frame data.
 */
public final class Ipv4Fragmenter
{
    /** Shorter than Ethernet + IPv4 headers, or a total length beyond the frame. */
    public static final int TRUNCATED = -1;
    /** Not IPv4, a bad IHL or total length, malformed options. */
    public static final int MALFORMED = -2;
    /** The MTU leaves fewer than 8 payload bytes after the header (below IPv4's 68 for 60-byte headers). */
    public static final int MTU_TOO_SMALL = -3;
    /** {@link #next}: the output room cannot take the next fragment; nothing was written. */
    public static final int NO_ROOM = -4;

    /** Fragment offsets count 8-byte units, so every fragment but the last carries a multiple of 8 bytes. */
    public static final int FRAGMENT_UNIT_BYTES = 8;

    private static final int BYTE_MASK = 0xFF;
    private static final int WORD_MASK = 0xFFFF;
    private static final int FRAGMENT_UNIT_SHIFT = 3;
    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    /** Bit 7 of an option type: copy the option into every fragment. */
    private static final int OPTION_COPIED = 0x80;
    private static final int OPTION_MIN_LENGTH = 2;

    private DirectBuffer source;
    private int frameOffset;
    private int headerLength;
    private int payloadOffset;
    private int payloadLength;
    private int fragmentPayload;
    private int baseOffsetBytes;
    private boolean moreAfterPacket;
    private int fragments;
    private int emitted;

    /**
     * Prepares the packet in the Ethernet frame at {@code [frameOffset, frameOffset + frameLength)} for an MTU of
     * {@code mtu} IP bytes.
     *
     * @return the number of fragments (1 when it already fits: {@link #next} then copies it unchanged), or a
     * negative reason.
     */
    public int begin(final DirectBuffer buffer, final int frameOffset, final int frameLength, final int mtu)
    {
        fragments = 0;
        emitted = 0;
        if (frameLength < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH)
        {
            return TRUNCATED;
        }
        if ((buffer.getShort(frameOffset + EthernetHeader.ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK) !=
            EthernetHeader.ETHERTYPE_IPV4)
        {
            return MALFORMED;
        }
        final int ip = frameOffset + EthernetHeader.LENGTH;
        final int versionIhl = buffer.getByte(ip + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        final int ihl = (versionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        final int totalLength = buffer.getShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION_4 || ihl < Ipv4Header.MIN_LENGTH || totalLength < ihl)
        {
            return MALFORMED;
        }
        if (totalLength > frameLength - EthernetHeader.LENGTH)
        {
            return TRUNCATED;
        }
        if (!optionsWellFormed(buffer, ip + Ipv4Header.MIN_LENGTH, ip + ihl))
        {
            return MALFORMED;
        }
        final int fragmentField = buffer.getShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        this.source = buffer;
        this.frameOffset = frameOffset;
        this.headerLength = ihl;
        this.payloadOffset = ip + ihl;
        this.payloadLength = totalLength - ihl;
        this.baseOffsetBytes = (fragmentField & Ipv4Header.FRAGMENT_OFFSET_MASK) << FRAGMENT_UNIT_SHIFT;
        this.moreAfterPacket = (fragmentField & Ipv4Header.FLAG_MORE_FRAGMENTS) != 0;
        if (totalLength <= mtu)
        {
            fragmentPayload = payloadLength;
            fragments = 1;
            return fragments;
        }
        final int perFragment = (mtu - ihl) & -FRAGMENT_UNIT_BYTES;
        if (perFragment < FRAGMENT_UNIT_BYTES)
        {
            return MTU_TOO_SMALL;
        }
        fragmentPayload = perFragment;
        fragments = (payloadLength + perFragment - 1) / perFragment;
        return fragments;
    }

    /**
     * Writes the next fragment as an Ethernet frame at {@code outOffset}.
     *
     * @return its length; 0 when every fragment was written; {@link #NO_ROOM} when {@code outCapacity} is too small.
     */
    public int next(final MutableDirectBuffer out, final int outOffset, final int outCapacity)
    {
        if (emitted >= fragments)
        {
            return 0;
        }
        final int start = emitted * fragmentPayload;
        final int chunk = Math.min(fragmentPayload, payloadLength - start);
        final int length = EthernetHeader.LENGTH + headerLength + chunk;
        if (length > outCapacity)
        {
            return NO_ROOM;
        }
        final int ip = outOffset + EthernetHeader.LENGTH;
        out.putBytes(outOffset, source, frameOffset, EthernetHeader.LENGTH + headerLength);
        out.putBytes(ip + headerLength, source, payloadOffset + start, chunk);
        if (fragments == 1)
        {
            emitted++;
            return length;
        }
        if (emitted > 0)
        {
            blankUncopiedOptions(out, ip + Ipv4Header.MIN_LENGTH, ip + headerLength);
        }
        final boolean last = emitted == fragments - 1;
        int field = (baseOffsetBytes + start) >>> FRAGMENT_UNIT_SHIFT;
        if (!last || moreAfterPacket)
        {
            field |= Ipv4Header.FLAG_MORE_FRAGMENTS;
        }
        out.putShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)(headerLength + chunk), ByteOrder.BIG_ENDIAN);
        out.putShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, (short)field, ByteOrder.BIG_ENDIAN);
        out.putShort(ip + Ipv4Header.CHECKSUM_OFFSET,
            (short)Checksums.ipv4Header(out, ip, headerLength), ByteOrder.BIG_ENDIAN);
        emitted++;
        return length;
    }

    /** Fragments {@link #begin} announced. */
    public int fragments()
    {
        return fragments;
    }

    /** Fragments not yet written. */
    public int remaining()
    {
        return fragments - emitted;
    }

    private static boolean optionsWellFormed(final DirectBuffer buffer, final int from, final int end)
    {
        int at = from;
        while (at < end)
        {
            final int type = buffer.getByte(at) & BYTE_MASK;
            if (type == OPTION_END)
            {
                return true;
            }
            if (type == OPTION_NOP)
            {
                at++;
                continue;
            }
            if (at + 1 >= end)
            {
                return false;
            }
            final int length = buffer.getByte(at + 1) & BYTE_MASK;
            if (length < OPTION_MIN_LENGTH || at + length > end)
            {
                return false;
            }
            at += length;
        }
        return true;
    }

    /** Options were checked by {@link #begin}; the copy in {@code out} has the same layout. */
    private static void blankUncopiedOptions(final MutableDirectBuffer out, final int from, final int end)
    {
        int at = from;
        while (at < end)
        {
            final int type = out.getByte(at) & BYTE_MASK;
            if (type == OPTION_END)
            {
                return;
            }
            if (type == OPTION_NOP)
            {
                at++;
                continue;
            }
            final int length = out.getByte(at + 1) & BYTE_MASK;
            if ((type & OPTION_COPIED) == 0)
            {
                out.setMemory(at, length, (byte)OPTION_NOP);
            }
            at += length;
        }
    }
}
