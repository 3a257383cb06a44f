package io.jlvs.dataplane.codec;

import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The TUN forwarding method's packet work (IPVS {@code ip_vs_tunnel_xmit}): writes a new Ethernet header and an
 * outer IPv4 header (protocol 4, IPIP, RFC 2003) in the headroom in front of the client's IP packet, which itself
 * stays where it is. One instance per forwarding thread: it owns the counter the outer IDs come from.
 * <pre>
 *   before:            [ headroom ......... | Eth | inner IP packet ... ]
 *   after:   [ headroom | Eth' | outer IP (20) | inner IP packet ... ]
 *                       ^ frameOffset() = frameOffset - 20
 * </pre>
 * As the kernel does, the inner TTL is decremented first (its header checksum patched, RFC 1624) and a packet whose
 * TTL would reach zero is refused ({@link #TTL_EXPIRED}, answer with ICMP time exceeded); the outer header copies
 * the inner TOS byte, the (decremented) TTL and DF, and takes a fresh ID. The MTU check is the kernel's
 * ({@code __ip_vs_get_out_rt} with {@code IP_VS_RT_MODE_TUNNEL}): the inner packet must fit the egress MTU less the
 * 20 bytes of the outer header; if it does not and DF is set the client is told that MTU
 * ({@link #FRAGMENTATION_NEEDED}); without DF (or for ICMP, which IPVS never answers with frag-needed) the caller
 * fragments ({@link #NEEDS_FRAGMENTATION}).
 * <p>
 * Per frame: no allocation, no exception on frame data; every read is bounds-checked and a result code says why a
 * frame was refused. A refused frame is left untouched.
 */
public final class IpipEncapsulation
{
    /** Encapsulated: the new frame is at {@link #frameOffset()}, {@link #frameLength()} bytes. */
    public static final int ENCAPSULATED = 1;
    /**
     * Untouched: the inner packet does not fit {@link #tunnelMtu()} and may be fragmented. Cut it with
     * {@link Ipv4Fragmenter} to {@link #tunnelMtu()}, then encapsulate each fragment.
     */
    public static final int NEEDS_FRAGMENTATION = 2;
    /**
     * Untouched: a GSO super-frame ({@link #encapsulateWithVnet} only). {@code virtio_net_hdr} cannot describe TCP
     * segmentation inside an IPIP packet (the kernel's IPIP GSO needs {@code SKB_GSO_IPXIP4}, which no
     * {@code VIRTIO_NET_HDR_GSO_*} type sets, and drops the frame otherwise), so cut it with {@link GsoSegmenter}
     * to {@link #tunnelMtu()} and encapsulate each segment.
     */
    public static final int NEEDS_SEGMENTATION = 3;
    /** Untouched: DF set and too big; answer with ICMP fragmentation needed carrying {@link #tunnelMtu()}. */
    public static final int FRAGMENTATION_NEEDED = -1;
    /** Untouched: the inner TTL is 1 or 0; answer with ICMP time exceeded (IPVS {@code decrement_ttl}). */
    public static final int TTL_EXPIRED = -2;
    /** The egress MTU less 20 is below IPv4's minimum of 68: IPVS refuses such a tunnel too. */
    public static final int MTU_TOO_SMALL = -3;
    /** Fewer than 20 bytes (30 with a virtio-net header) in front of the frame. */
    public static final int NO_HEADROOM = -4;
    /** Shorter than Ethernet + IPv4 headers, or a total length beyond the frame. */
    public static final int TRUNCATED = -5;
    /** Not IPv4 version 4, IHL below 5, or total length below the header length. */
    public static final int MALFORMED = -6;
    /** The ethertype is not IPv4 (ARP, IPv6, a VLAN tag). */
    public static final int NOT_IPV4 = -7;

    /** The outer header: no options. */
    public static final int OUTER_HEADER_LENGTH = Ipv4Header.MIN_LENGTH;
    /** RFC 791: every IPv4 host takes 68-byte datagrams; IPVS drops when the tunnel leaves less. */
    public static final int MIN_IPV4_MTU = 68;

    private static final int VERSION_IHL_NO_OPTIONS = (Ipv4Header.VERSION_4 << 4) | (OUTER_HEADER_LENGTH / Ipv4Header.IHL_UNIT_BYTES);
    private static final int BYTE_MASK = 0xFF;
    private static final int WORD_MASK = 0xFFFF;
    private static final int TTL_SHIFT = 8;
    /** A TTL of 1 is refused too: forwarding decrements it to 0 (RFC 1812 5.3.1). */
    private static final int MIN_FORWARDABLE_TTL = 2;

    private int nextId;
    private int frameOffset;
    private int frameLength;
    private int tunnelMtu;

    /**
     * @param firstId the outer IP ID of the first packet; each later packet takes the next (mod 2^16). Seed it
     *                randomly so a restarted director does not reuse the IDs a real server may still be reassembling.
     */
    public IpipEncapsulation(final int firstId)
    {
        this.nextId = firstId & WORD_MASK;
    }

    /**
     * Encapsulates the Ethernet frame at {@code [frameOffset, frameOffset + frameLength)} in place.
     *
     * @param outerSrc  the director's address on the egress interface (host order).
     * @param outerDst  the real server (host order).
     * @param dstMac    the next hop's MAC: the real server when on-link, else the gateway.
     * @param srcMac    the director's MAC on the egress interface.
     * @param egressMtu the egress interface's (or path's) MTU: the outer packet must fit it.
     * @return {@link #ENCAPSULATED} or another result constant.
     */
    public int encapsulate(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength,
        final int outerSrc, final int outerDst, final long dstMac, final long srcMac, final int egressMtu)
    {
        return encapsulate(buffer, frameOffset, frameLength, outerSrc, outerDst, dstMac, srcMac, egressMtu, false);
    }

    /**
     * As {@link #encapsulate}, for a frame preceded by its {@code virtio_net_hdr} at
     * {@code frameOffset - VnetHeader.LENGTH}: the header moves with the frame (to {@code frameOffset() -
     * VnetHeader.LENGTH}); a partial checksum stays partial with {@code csum_start} (and a non-zero
     * {@code hdr_len}) 20 bytes further; {@code DATA_VALID}, which only means something on receive, is cleared.
     * A GSO super-frame is refused with {@link #NEEDS_SEGMENTATION}.
     */
    public int encapsulateWithVnet(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength,
        final int outerSrc, final int outerDst, final long dstMac, final long srcMac, final int egressMtu)
    {
        return encapsulate(buffer, frameOffset, frameLength, outerSrc, outerDst, dstMac, srcMac, egressMtu, true);
    }

    private int encapsulate(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength,
        final int outerSrc, final int outerDst, final long dstMac, final long srcMac, final int egressMtu,
        final boolean vnet)
    {
        tunnelMtu = egressMtu - OUTER_HEADER_LENGTH;
        final int headroom = OUTER_HEADER_LENGTH + (vnet ? VnetHeader.LENGTH : 0);
        if (frameOffset < headroom)
        {
            return NO_HEADROOM;
        }
        if (frameLength < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH)
        {
            return TRUNCATED;
        }
        if ((buffer.getShort(frameOffset + EthernetHeader.ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK) !=
            EthernetHeader.ETHERTYPE_IPV4)
        {
            return NOT_IPV4;
        }
        final int ip = frameOffset + EthernetHeader.LENGTH;
        final int versionIhl = buffer.getByte(ip + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        final int headerLength = (versionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        final int totalLength = buffer.getShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION_4 || headerLength < Ipv4Header.MIN_LENGTH ||
            totalLength < headerLength)
        {
            return MALFORMED;
        }
        if (totalLength > frameLength - EthernetHeader.LENGTH)
        {
            return TRUNCATED;
        }
        final int vnetOffset = frameOffset - VnetHeader.LENGTH;
        if (vnet && VnetHeader.isGso(buffer, vnetOffset))
        {
            return NEEDS_SEGMENTATION;
        }
        final int ttl = buffer.getByte(ip + Ipv4Header.TTL_OFFSET) & BYTE_MASK;
        if (ttl < MIN_FORWARDABLE_TTL)
        {
            return TTL_EXPIRED;
        }
        if (tunnelMtu < MIN_IPV4_MTU)
        {
            return MTU_TOO_SMALL;
        }
        final int fragmentField = buffer.getShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        final int df = fragmentField & Ipv4Header.FLAG_DONT_FRAGMENT;
        if (totalLength > tunnelMtu)
        {
            final int protocol = buffer.getByte(ip + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK;
            // ensure_mtu_is_adequate: ICMP is never answered with frag-needed, it is fragmented whatever its DF.
            return df != 0 && protocol != Ipv4Header.PROTOCOL_ICMP ? FRAGMENTATION_NEEDED : NEEDS_FRAGMENTATION;
        }

        final int tos = buffer.getByte(ip + Ipv4Header.TOS_OFFSET) & BYTE_MASK;
        final int newTtl = decrementTtl(buffer, ip, ttl);
        // Read the virtio header before the new Ethernet header overwrites it.
        int vnetFlags = 0;
        int gsoType = 0;
        int hdrLen = 0;
        int gsoSize = 0;
        int csumStart = 0;
        int csumOffset = 0;
        if (vnet)
        {
            vnetFlags = VnetHeader.flags(buffer, vnetOffset) & VnetHeader.F_NEEDS_CSUM;
            gsoType = VnetHeader.gsoType(buffer, vnetOffset);
            hdrLen = VnetHeader.hdrLen(buffer, vnetOffset);
            gsoSize = VnetHeader.gsoSize(buffer, vnetOffset);
            csumStart = VnetHeader.csumStart(buffer, vnetOffset);
            csumOffset = VnetHeader.csumOffset(buffer, vnetOffset);
        }

        final int newFrame = frameOffset - OUTER_HEADER_LENGTH;
        final int outer = newFrame + EthernetHeader.LENGTH;
        writeMac(buffer, newFrame + EthernetHeader.DST_MAC_OFFSET, dstMac);
        writeMac(buffer, newFrame + EthernetHeader.SRC_MAC_OFFSET, srcMac);
        buffer.putShort(newFrame + EthernetHeader.ETHERTYPE_OFFSET, (short)EthernetHeader.ETHERTYPE_IPV4,
            ByteOrder.BIG_ENDIAN);
        final int id = nextId;
        nextId = (nextId + 1) & WORD_MASK;
        writeOuterHeader(buffer, outer, tos, OUTER_HEADER_LENGTH + totalLength, id, df, newTtl, outerSrc, outerDst);

        if (vnet)
        {
            final int shift = (vnetFlags & VnetHeader.F_NEEDS_CSUM) != 0 ? OUTER_HEADER_LENGTH : 0;
            VnetHeader.write(buffer, newFrame - VnetHeader.LENGTH, vnetFlags, gsoType,
                hdrLen == 0 ? 0 : hdrLen + OUTER_HEADER_LENGTH, gsoSize,
                shift == 0 ? 0 : csumStart + shift, shift == 0 ? 0 : csumOffset);
        }
        this.frameOffset = newFrame;
        // Ethernet padding after the inner packet is not carried into the tunnel.
        this.frameLength = EthernetHeader.LENGTH + OUTER_HEADER_LENGTH + totalLength;
        return ENCAPSULATED;
    }

    /**
     * Writes an option-less outer IPv4 header (protocol IPIP) with its checksum at {@code ipOffset}; for callers that
     * build tunnel packets elsewhere (held fragments, segments) and for tests.
     */
    public static void writeOuterHeader(
        final MutableDirectBuffer buffer, final int ipOffset, final int tos, final int totalLength, final int id,
        final int dontFragment, final int ttl, final int src, final int dst)
    {
        buffer.putByte(ipOffset + Ipv4Header.VERSION_IHL_OFFSET, (byte)VERSION_IHL_NO_OPTIONS);
        buffer.putByte(ipOffset + Ipv4Header.TOS_OFFSET, (byte)tos);
        buffer.putShort(ipOffset + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ipOffset + Ipv4Header.IDENTIFICATION_OFFSET, (short)id, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ipOffset + Ipv4Header.FLAGS_FRAGMENT_OFFSET,
            (short)(dontFragment & Ipv4Header.FLAG_DONT_FRAGMENT), ByteOrder.BIG_ENDIAN);
        buffer.putByte(ipOffset + Ipv4Header.TTL_OFFSET, (byte)ttl);
        buffer.putByte(ipOffset + Ipv4Header.PROTOCOL_OFFSET, (byte)Ipv4Header.PROTOCOL_IPIP);
        buffer.putShort(ipOffset + Ipv4Header.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ipOffset + Ipv4Header.SRC_ADDR_OFFSET, src, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ipOffset + Ipv4Header.DST_ADDR_OFFSET, dst, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ipOffset + Ipv4Header.CHECKSUM_OFFSET,
            (short)Checksums.ipv4Header(buffer, ipOffset, OUTER_HEADER_LENGTH), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Decrements the TTL of the IPv4 header at {@code ipOffset} and patches its checksum incrementally
     * (RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')); returns the new TTL. The caller checked {@code ttl >= 2}.
     */
    /**
     * Decrements the TTL of the IPv4 header at {@code ipOffset} from {@code ttl} and patches its checksum
     * incrementally (RFC 1624), as every IPVS forwarding method does on the way out ({@code decrement_ttl}).
     *
     * @return the new TTL.
     */
    public static int decrementTtl(final MutableDirectBuffer buffer, final int ipOffset, final int ttl)
    {
        if (!FrameBytes.inBounds(buffer, ipOffset, Ipv4Header.MIN_LENGTH))
        {
            // Not a header inside this buffer: Agrona's checked accessors refuse it as they always did.
            buffer.boundsCheck(ipOffset, Ipv4Header.MIN_LENGTH);
        }
        return decrementTtlInRange(buffer, ipOffset, ttl);
    }

    /**
     * As {@link #decrementTtl}, for a caller that has already checked that the header's first 20 bytes lie inside
     * {@code buffer} ({@link FrameBytes#inBounds}).
     */
    public static int decrementTtlInRange(final MutableDirectBuffer buffer, final int ipOffset, final int ttl)
    {
        // TTL, protocol and checksum are three of the header's first 20 bytes, checked by the caller as one range.
        final int protocol = FrameBytes.u8(buffer, ipOffset + Ipv4Header.PROTOCOL_OFFSET);
        final int oldWord = (ttl << TTL_SHIFT) | protocol;
        final int newTtl = ttl - 1;
        final int newWord = (newTtl << TTL_SHIFT) | protocol;
        final int field = ipOffset + Ipv4Header.CHECKSUM_OFFSET;
        final int checksum = FrameBytes.u16(buffer, field);
        final long sum = (~checksum & WORD_MASK) + (~oldWord & WORD_MASK) + newWord;
        FrameBytes.putU16(buffer, field, ~Checksums.fold(sum) & WORD_MASK);
        FrameBytes.putU8(buffer, ipOffset + Ipv4Header.TTL_OFFSET, newTtl);
        return newTtl;
    }

    /**
     * The MTU to tell a client whose tunnelled packet a router on the way to the real server refused with
     * {@code outerPathMtu} (IPVS {@code ip_vs_in_icmp} for IPIP): the outer header's 20 bytes less, but never below
     * IPv4's 68 (a router that reports 0, pre RFC 1191, or nonsense still leaves the client a usable value).
     */
    public static int innerMtu(final int outerPathMtu)
    {
        return Math.max(MIN_IPV4_MTU, outerPathMtu - OUTER_HEADER_LENGTH);
    }

    private static void writeMac(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putShort(offset, (short)(mac >>> Integer.SIZE), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + Short.BYTES, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    /** Offset of the encapsulated frame after {@link #ENCAPSULATED}. */
    public int frameOffset()
    {
        return frameOffset;
    }

    /** Length of the encapsulated frame after {@link #ENCAPSULATED}. */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * The largest inner packet the tunnel carries (egress MTU − 20), as set by the last call: the value for ICMP
     * frag-needed after {@link #FRAGMENTATION_NEEDED}, the fragment or segment size limit after
     * {@link #NEEDS_FRAGMENTATION} / {@link #NEEDS_SEGMENTATION}.
     */
    public int tunnelMtu()
    {
        return tunnelMtu;
    }

    /** The outer ID the next encapsulated packet takes. */
    public int nextId()
    {
        return nextId;
    }
}
