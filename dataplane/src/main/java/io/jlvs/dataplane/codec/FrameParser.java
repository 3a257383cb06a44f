package io.jlvs.dataplane.codec;

import org.agrona.DirectBuffer;

import static io.jlvs.dataplane.codec.EthernetHeader.ETHERTYPE_ARP;
import static io.jlvs.dataplane.codec.EthernetHeader.ETHERTYPE_IPV4;
import static io.jlvs.dataplane.codec.EthernetHeader.ETHERTYPE_OFFSET;
import static io.jlvs.dataplane.codec.Ipv4Header.DST_ADDR_OFFSET;
import static io.jlvs.dataplane.codec.Ipv4Header.FLAGS_FRAGMENT_OFFSET;
import static io.jlvs.dataplane.codec.Ipv4Header.FLAG_DONT_FRAGMENT;
import static io.jlvs.dataplane.codec.Ipv4Header.FLAG_MORE_FRAGMENTS;
import static io.jlvs.dataplane.codec.Ipv4Header.FRAGMENT_OFFSET_MASK;
import static io.jlvs.dataplane.codec.Ipv4Header.IDENTIFICATION_OFFSET;
import static io.jlvs.dataplane.codec.Ipv4Header.IHL_MASK;
import static io.jlvs.dataplane.codec.Ipv4Header.IHL_UNIT_BYTES;
import static io.jlvs.dataplane.codec.Ipv4Header.MIN_LENGTH;
import static io.jlvs.dataplane.codec.Ipv4Header.PROTOCOL_OFFSET;
import static io.jlvs.dataplane.codec.Ipv4Header.PROTOCOL_TCP;
import static io.jlvs.dataplane.codec.Ipv4Header.PROTOCOL_UDP;
import static io.jlvs.dataplane.codec.Ipv4Header.SRC_ADDR_OFFSET;
import static io.jlvs.dataplane.codec.Ipv4Header.TOTAL_LENGTH_OFFSET;
import static io.jlvs.dataplane.codec.Ipv4Header.VERSION_4;
import static io.jlvs.dataplane.codec.Ipv4Header.VERSION_IHL_OFFSET;

/**
 * Parses one Ethernet frame in place and keeps what the forwarding decision needs: a flyweight that is reused for
 * every frame, so parsing allocates nothing. The frame's range is checked against its buffer once, and every read
 * against the frame's (and its headers') length first, so the reads themselves ({@link FrameBytes}) need no check
 * of their own; a frame that is too short or inconsistent yields a negative result naming why, never an exception.
 */
public final class FrameParser
{
    /** An IPv4 packet whose addresses (and, unless it is a non-first fragment, ports) were read. */
    public static final int IPV4 = 1;
    /** An ARP frame (ethertype 0x0806), handed to the ARP responder whole. */
    public static final int ARP = 2;
    /** Any other ethertype (IPv6, LLDP, VLAN-tagged, ...): not for jlvs. */
    public static final int OTHER_ETHERTYPE = 3;
    /** Shorter than an Ethernet header, or longer than the buffer it lies in. */
    public static final int TRUNCATED_ETHERNET = -1;
    /** Ethertype IPv4 but shorter than the IP header it announces, or a total length beyond the frame. */
    public static final int TRUNCATED_IP = -2;
    /** Version is not 4, or IHL below 5, or total length below the header length. */
    public static final int MALFORMED_IP = -3;
    /** A TCP/UDP first fragment or whole packet too short for its transport header, or a TCP data offset below 5. */
    public static final int TRUNCATED_L4 = -4;

    private static final int TCP_DATA_OFFSET_SHIFT = 4;
    private static final int TCP_MIN_DATA_OFFSET_WORDS = 5;

    private int etherType;
    private int l3Offset;
    private int ipHeaderLength;
    private int ipTotalLength;
    private int protocol;
    private int srcAddr;
    private int dstAddr;
    private int ipId;
    private int fragmentField;
    private int l4Offset;
    private int srcPort;
    private int dstPort;
    private int tcpFlags;
    private boolean hasPorts;

    /**
     * Parses the frame at {@code [offset, offset + length)}.
     *
     * @return {@link #IPV4}, {@link #ARP}, {@link #OTHER_ETHERTYPE}, or a negative reason.
     */
    public int parse(final DirectBuffer buffer, final int offset, final int length)
    {
        hasPorts = false;
        if (length < EthernetHeader.LENGTH)
        {
            return TRUNCATED_ETHERNET;
        }
        if (!FrameBytes.inBounds(buffer, offset, length))
        {
            // A length beyond the slot it lies in: the frame cannot be read whole. This one check covers every
            // read below, each of which stays inside [offset, offset + length).
            return TRUNCATED_ETHERNET;
        }
        etherType = FrameBytes.u16(buffer, offset + ETHERTYPE_OFFSET);
        if (etherType == ETHERTYPE_ARP)
        {
            return ARP;
        }
        if (etherType != ETHERTYPE_IPV4)
        {
            return OTHER_ETHERTYPE;
        }
        final int ip = offset + EthernetHeader.LENGTH;
        final int available = length - EthernetHeader.LENGTH;
        if (available < MIN_LENGTH)
        {
            return TRUNCATED_IP;
        }
        final int versionIhl = FrameBytes.u8(buffer, ip + VERSION_IHL_OFFSET);
        final int headerLength = (versionIhl & IHL_MASK) * IHL_UNIT_BYTES;
        final int totalLength = FrameBytes.u16(buffer, ip + TOTAL_LENGTH_OFFSET);
        if ((versionIhl >>> 4) != VERSION_4 || headerLength < MIN_LENGTH || totalLength < headerLength)
        {
            return MALFORMED_IP;
        }
        if (headerLength > available || totalLength > available)
        {
            return TRUNCATED_IP;
        }
        l3Offset = ip;
        ipHeaderLength = headerLength;
        ipTotalLength = totalLength;
        final int proto = FrameBytes.u8(buffer, ip + PROTOCOL_OFFSET);
        protocol = proto;
        srcAddr = FrameBytes.i32(buffer, ip + SRC_ADDR_OFFSET);
        dstAddr = FrameBytes.i32(buffer, ip + DST_ADDR_OFFSET);
        ipId = FrameBytes.u16(buffer, ip + IDENTIFICATION_OFFSET);
        final int fragment = FrameBytes.u16(buffer, ip + FLAGS_FRAGMENT_OFFSET);
        fragmentField = fragment;
        final int l4 = ip + headerLength;
        l4Offset = l4;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;

        if ((fragment & FRAGMENT_OFFSET_MASK) != 0)
        {
            return IPV4;
        }
        return parseTransport(buffer, proto, l4, totalLength - headerLength);
    }

    /**
     * The TCP or UDP header of a whole packet or first fragment at {@code l4}, {@code l4Available} bytes of which
     * lie inside the frame. Apart from {@link #parse} so that each stays small enough to be compiled inline.
     */
    private int parseTransport(final DirectBuffer buffer, final int proto, final int l4, final int l4Available)
    {
        if (proto == PROTOCOL_TCP)
        {
            if (l4Available < TcpHeader.MIN_LENGTH)
            {
                return TRUNCATED_L4;
            }
            final int dataOffsetWords = FrameBytes.u8(buffer, l4 + TcpHeader.DATA_OFFSET_OFFSET) >>>
                TCP_DATA_OFFSET_SHIFT;
            if (dataOffsetWords < TCP_MIN_DATA_OFFSET_WORDS || dataOffsetWords * IHL_UNIT_BYTES > l4Available)
            {
                return TRUNCATED_L4;
            }
            readPorts(buffer, l4);
            tcpFlags = FrameBytes.u8(buffer, l4 + TcpHeader.FLAGS_OFFSET);
        }
        else if (proto == PROTOCOL_UDP)
        {
            if (l4Available < UdpHeader.LENGTH)
            {
                return TRUNCATED_L4;
            }
            readPorts(buffer, l4);
        }
        return IPV4;
    }

    private void readPorts(final DirectBuffer buffer, final int l4)
    {
        // TCP and UDP keep both ports at the same offsets.
        srcPort = FrameBytes.u16(buffer, l4 + TcpHeader.SRC_PORT_OFFSET);
        dstPort = FrameBytes.u16(buffer, l4 + TcpHeader.DST_PORT_OFFSET);
        hasPorts = true;
    }

    public int etherType()
    {
        return etherType;
    }

    /** Absolute offset of the IP header in the buffer. */
    public int l3Offset()
    {
        return l3Offset;
    }

    public int ipHeaderLength()
    {
        return ipHeaderLength;
    }

    public int ipTotalLength()
    {
        return ipTotalLength;
    }

    public int protocol()
    {
        return protocol;
    }

    /** Source address, host byte order. */
    public int srcAddr()
    {
        return srcAddr;
    }

    /** Destination address, host byte order. */
    public int dstAddr()
    {
        return dstAddr;
    }

    public int ipId()
    {
        return ipId;
    }

    /** Absolute offset of the transport header. */
    public int l4Offset()
    {
        return l4Offset;
    }

    /** Whether ports (and, for TCP, flags) were read: TCP/UDP and not a non-first fragment. */
    public boolean hasPorts()
    {
        return hasPorts;
    }

    public int srcPort()
    {
        return srcPort;
    }

    public int dstPort()
    {
        return dstPort;
    }

    public int tcpFlags()
    {
        return tcpFlags;
    }

    public boolean isFragment()
    {
        return (fragmentField & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /** A fragment other than the first: it carries no transport header. */
    public boolean isNonFirstFragment()
    {
        return (fragmentField & FRAGMENT_OFFSET_MASK) != 0;
    }

    public boolean dontFragment()
    {
        return (fragmentField & FLAG_DONT_FRAGMENT) != 0;
    }
}
