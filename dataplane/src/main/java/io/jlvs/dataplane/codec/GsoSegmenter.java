package io.jlvs.dataplane.codec;

import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Cuts a GSO super-frame (TCP/IPv4 TSO or UDP/IPv4 USO, as veth and virtio hand them over) into ordinary frames in
 * software, the way the kernel's {@code tcp_gso_segment} / {@code __udp_gso_segment} would, for the frames the kernel
 * cannot segment on the way out: TUN, where the segments are to be wrapped in IPIP and {@code virtio_net_hdr} has no
 * way to say so. A flyweight reused for every super-frame: {@link #begin} checks the frame and says how many
 * segments it makes, {@link #next} writes them one by one into memory the caller owns, each a complete Ethernet
 * frame with full IP and TCP/UDP checksums (no offload left to ask for).
 * <p>
 * TCP: each segment takes the original headers with the sequence number advanced, the IP ID incremented per
 * segment, FIN and PSH only on the last, CWR only on the first, and at most {@code min(gso_size, room)} payload
 * bytes, where room is what {@code maxIpLength} (the tunnel MTU) leaves after the headers: smaller segments than the
 * client's MSS are valid TCP and spare the outer packets from fragmentation. UDP: each {@code gso_size} chunk is a
 * datagram of its own (its boundaries belong to the application, so they are kept whatever the MTU).
 * <p>
 * The super-frame must stay unchanged between {@link #begin} and the last {@link #next}. No allocation, no
 * exception on frame data.
 */
public final class GsoSegmenter
{
    /** The frame's gso_type is not TCPV4 or UDP_L4 (UFO and IPv6 are not segmented here). */
    public static final int UNSUPPORTED_GSO_TYPE = -1;
    /** Shorter than its headers, or an IP total length beyond the frame. */
    public static final int TRUNCATED = -2;
    /** Not IPv4, a bad IHL or TCP data offset, or a fragment. */
    public static final int MALFORMED = -3;
    /** gso_type says TCP but the packet is UDP, or the reverse. */
    public static final int PROTOCOL_MISMATCH = -4;
    /** gso_size is zero, or {@code maxIpLength} leaves no room for payload after the headers. */
    public static final int BAD_SEGMENT_SIZE = -5;
    /** {@link #next}: the output room cannot take the next segment; nothing was written. */
    public static final int NO_ROOM = -6;

    private static final int BYTE_MASK = 0xFF;
    private static final int WORD_MASK = 0xFFFF;
    private static final int TCP_DATA_OFFSET_SHIFT = 4;
    private static final int TCP_MIN_DATA_OFFSET_WORDS = 5;
    private static final int TCP_FLAG_CWR = 0x80;
    /** Flags that close or push the whole send: they belong on the last segment only. */
    private static final int TCP_LAST_SEGMENT_FLAGS = TcpHeader.FLAG_FIN | TcpHeader.FLAG_PSH;
    /** RFC 768: a computed UDP checksum of 0 is sent as all ones. */
    private static final int UDP_ZERO_CHECKSUM = 0xFFFF;

    private DirectBuffer source;
    private int frameOffset;
    private int headersLength;
    private int ipHeaderLength;
    private int l4HeaderLength;
    private int protocol;
    private int payloadOffset;
    private int payloadLength;
    private int segmentSize;
    private int segments;
    private int emitted;
    private int firstId;
    private int firstSequence;
    private int tcpFlags;

    /**
     * Prepares the super-frame at {@code [frameOffset, frameOffset + frameLength)}.
     *
     * @param gsoType     the virtio-net header's gso_type ({@link VnetHeader#GSO_TCPV4}, {@link VnetHeader#GSO_UDP_L4};
     *                    the ECN flag is ignored: TCP keeps CWR on the first segment either way).
     * @param gsoSize     the virtio-net header's gso_size: payload bytes per segment.
     * @param maxIpLength the largest IP packet a TCP segment may become (the tunnel MTU); UDP ignores it.
     * @return the number of segments (at least 1), or a negative reason.
     */
    public int begin(
        final DirectBuffer buffer, final int frameOffset, final int frameLength,
        final int gsoType, final int gsoSize, final int maxIpLength)
    {
        segments = 0;
        emitted = 0;
        final int type = gsoType & VnetHeader.GSO_TYPE_MASK;
        final int expectedProtocol;
        if (type == VnetHeader.GSO_TCPV4)
        {
            expectedProtocol = Ipv4Header.PROTOCOL_TCP;
        }
        else if (type == VnetHeader.GSO_UDP_L4)
        {
            expectedProtocol = Ipv4Header.PROTOCOL_UDP;
        }
        else
        {
            return UNSUPPORTED_GSO_TYPE;
        }
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
        final int fragmentField = buffer.getShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION_4 || ihl < Ipv4Header.MIN_LENGTH || totalLength < ihl ||
            (fragmentField & (Ipv4Header.FLAG_MORE_FRAGMENTS | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0)
        {
            return MALFORMED;
        }
        if (totalLength > frameLength - EthernetHeader.LENGTH)
        {
            return TRUNCATED;
        }
        final int ipProtocol = buffer.getByte(ip + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK;
        if (ipProtocol != expectedProtocol)
        {
            return PROTOCOL_MISMATCH;
        }
        final int l4 = ip + ihl;
        final int l4Available = totalLength - ihl;
        final int l4Header;
        if (ipProtocol == Ipv4Header.PROTOCOL_TCP)
        {
            if (l4Available < TcpHeader.MIN_LENGTH)
            {
                return TRUNCATED;
            }
            final int words = (buffer.getByte(l4 + TcpHeader.DATA_OFFSET_OFFSET) & BYTE_MASK) >>> TCP_DATA_OFFSET_SHIFT;
            if (words < TCP_MIN_DATA_OFFSET_WORDS)
            {
                return MALFORMED;
            }
            l4Header = words * Ipv4Header.IHL_UNIT_BYTES;
            if (l4Header > l4Available)
            {
                return TRUNCATED;
            }
        }
        else
        {
            if (l4Available < UdpHeader.LENGTH)
            {
                return TRUNCATED;
            }
            l4Header = UdpHeader.LENGTH;
        }
        int size = gsoSize;
        if (ipProtocol == Ipv4Header.PROTOCOL_TCP)
        {
            size = Math.min(size, maxIpLength - ihl - l4Header);
        }
        if (size <= 0)
        {
            return BAD_SEGMENT_SIZE;
        }

        this.source = buffer;
        this.frameOffset = frameOffset;
        this.ipHeaderLength = ihl;
        this.l4HeaderLength = l4Header;
        this.headersLength = EthernetHeader.LENGTH + ihl + l4Header;
        this.protocol = ipProtocol;
        this.payloadOffset = l4 + l4Header;
        this.payloadLength = l4Available - l4Header;
        this.segmentSize = size;
        this.firstId = buffer.getShort(ip + Ipv4Header.IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if (ipProtocol == Ipv4Header.PROTOCOL_TCP)
        {
            this.firstSequence = buffer.getInt(l4 + TcpHeader.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
            this.tcpFlags = buffer.getByte(l4 + TcpHeader.FLAGS_OFFSET) & BYTE_MASK;
        }
        // A super-frame without payload (a pure ACK with a stray GSO header) still leaves as one frame.
        segments = payloadLength == 0 ? 1 : (payloadLength + size - 1) / size;
        return segments;
    }

    /**
     * Writes the next segment as an Ethernet frame at {@code outOffset}.
     *
     * @return its length; 0 when every segment was written; {@link #NO_ROOM} when {@code outCapacity} is too small.
     */
    public int next(final MutableDirectBuffer out, final int outOffset, final int outCapacity)
    {
        if (emitted >= segments)
        {
            return 0;
        }
        final int index = emitted;
        final int start = index * segmentSize;
        final int chunk = Math.min(segmentSize, payloadLength - start);
        final int length = headersLength + chunk;
        if (length > outCapacity)
        {
            return NO_ROOM;
        }
        out.putBytes(outOffset, source, frameOffset, headersLength);
        out.putBytes(outOffset + headersLength, source, payloadOffset + start, chunk);

        final int ip = outOffset + EthernetHeader.LENGTH;
        final int ipLength = ipHeaderLength + l4HeaderLength + chunk;
        out.putShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)ipLength, ByteOrder.BIG_ENDIAN);
        out.putShort(ip + Ipv4Header.IDENTIFICATION_OFFSET, (short)(firstId + index), ByteOrder.BIG_ENDIAN);
        out.putShort(ip + Ipv4Header.CHECKSUM_OFFSET,
            (short)Checksums.ipv4Header(out, ip, ipHeaderLength), ByteOrder.BIG_ENDIAN);

        final int l4 = ip + ipHeaderLength;
        final int l4Length = l4HeaderLength + chunk;
        final int checksumField;
        if (protocol == Ipv4Header.PROTOCOL_TCP)
        {
            final boolean last = index == segments - 1;
            int flags = tcpFlags;
            if (!last)
            {
                flags &= ~TCP_LAST_SEGMENT_FLAGS;
            }
            if (index > 0)
            {
                flags &= ~TCP_FLAG_CWR;
            }
            out.putInt(l4 + TcpHeader.SEQUENCE_OFFSET, firstSequence + start, ByteOrder.BIG_ENDIAN);
            out.putByte(l4 + TcpHeader.FLAGS_OFFSET, (byte)flags);
            checksumField = l4 + TcpHeader.CHECKSUM_OFFSET;
        }
        else
        {
            out.putShort(l4 + UdpHeader.LENGTH_OFFSET, (short)l4Length, ByteOrder.BIG_ENDIAN);
            checksumField = l4 + UdpHeader.CHECKSUM_OFFSET;
        }
        out.putShort(checksumField, (short)0, ByteOrder.BIG_ENDIAN);
        final long pseudo = Checksums.pseudoHeader(
            out.getInt(ip + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN),
            out.getInt(ip + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN), protocol, l4Length);
        int checksum = ~Checksums.fold(Checksums.sum(out, l4, l4Length, pseudo)) & WORD_MASK;
        if (protocol == Ipv4Header.PROTOCOL_UDP && checksum == 0)
        {
            checksum = UDP_ZERO_CHECKSUM;
        }
        out.putShort(checksumField, (short)checksum, ByteOrder.BIG_ENDIAN);
        emitted++;
        return length;
    }

    /** Segments {@link #begin} announced. */
    public int segments()
    {
        return segments;
    }

    /** Segments not yet written. */
    public int remaining()
    {
        return segments - emitted;
    }

    /** Payload bytes per segment (the last may carry fewer). */
    public int segmentSize()
    {
        return segmentSize;
    }
}
