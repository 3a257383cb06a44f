package io.jlvs.dataplane.codec;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Reads an ICMP error in place and finds the client flow it is about, as IPVS's {@code ip_vs_in_icmp} does, so the
 * forwarding thread can look the connection up. A flyweight reused for every message; every read is bounds-checked,
 * a message that cannot be matched yields a negative reason, never an exception.
 * <p>
 * Two kinds of error reach a director:
 * <ul>
 * <li>{@link #ABOUT_REPLY}: addressed to a VIP. In DR and TUN the real servers answer clients directly with the VIP
 * as source, so an error from a router on the way back (or from the client: port unreachable for a UDP answer)
 * quotes a packet VIP→client; the VIP's address leads it to the director. The connection is the quoted flow with
 * its addresses and ports <em>reversed</em> ({@code conn_in_get(..., inverse = 1)}): client = quoted destination.
 * Forward the ICMP frame unchanged to that connection's real server (DR: its MAC; TUN: encapsulated), which then
 * lowers its path MTU towards the client. Errors about client→VIP packets go to the client, never here.</li>
 * <li>{@link #ABOUT_TUNNEL}: addressed to the director's own address, quoting one of its IPIP packets
 * (director→real server, protocol 4) followed by the start of the client's packet (client→VIP). The connection is
 * that inner flow <em>as is</em> ({@code inverse = 0}: "for IPIP this is error for request, not for reply"). Answer
 * the client with the same type and code about its own packet; for fragmentation needed, only when the client set
 * DF, with the router's MTU less 20 ({@link IpipEncapsulation#innerMtu}). Check that {@link #tunnelSrcAddr()} is the
 * director's address: IPVS takes IPIP errors only when they were addressed to the host.</li>
 * </ul>
 * Only destination unreachable, source quench and time exceeded are matched; any other type yields
 * {@link #OTHER_TYPE} with {@link #icmpType()} set (an echo request to a VIP is answered, the rest dropped).
 */
public final class IcmpErrorParser
{
    /** An error about a packet VIP→client: connection = quoted flow reversed, see {@link #clientAddr()}. */
    public static final int ABOUT_REPLY = 1;
    /** An error about the director's IPIP packet: connection = the inner client→VIP flow. */
    public static final int ABOUT_TUNNEL = 2;
    /** Not a relayed error type ({@link #icmpType()} says which); the checksum was not verified. */
    public static final int OTHER_TYPE = 3;
    /** Shorter than its IP header or than an ICMP header, or a total length beyond {@code ipLength}. */
    public static final int TRUNCATED = -1;
    /** Not IPv4/ICMP, or a bad IHL. */
    public static final int MALFORMED = -2;
    /** The ICMP message itself is fragmented: errors are small, jlvs does not reassemble them. */
    public static final int FRAGMENTED = -3;
    /** The ICMP checksum is wrong (IPVS drops these too). */
    public static final int BAD_CHECKSUM = -4;
    /** The quoted packet stops before its IP header (both, for IPIP) and ports. */
    public static final int EMBEDDED_TRUNCATED = -5;
    /** The quoted IP header is not IPv4 or has a bad IHL. */
    public static final int EMBEDDED_MALFORMED = -6;
    /** The quoted packet is a non-first fragment: it has no ports to match. */
    public static final int EMBEDDED_FRAGMENT = -7;
    /** The quoted packet is neither TCP nor UDP: no connection can match (its addresses are still read). */
    public static final int EMBEDDED_NOT_TCP_UDP = -8;

    private static final int BYTE_MASK = 0xFF;
    private static final int WORD_MASK = 0xFFFF;
    private static final int CHECKSUM_OK = 0xFFFF;
    private static final int PORTS_LENGTH = 4;

    private int icmpOffset;
    private int icmpType;
    private int icmpCode;
    private int restOfHeader;
    private int errorSrcAddr;
    private int errorDstAddr;
    private int embeddedOffset;
    private int embeddedLength;
    private int embeddedProtocol;
    private int embeddedSrcAddr;
    private int embeddedDstAddr;
    private int embeddedSrcPort;
    private int embeddedDstPort;
    private boolean embeddedDontFragment;
    private int tunnelSrcAddr;
    private int tunnelDstAddr;
    private boolean tunnel;

    /**
     * Parses the IPv4 packet at {@code [ipOffset, ipOffset + ipLength)} (FrameParser's {@code l3Offset()} and
     * {@code ipTotalLength()}).
     *
     * @return {@link #ABOUT_REPLY}, {@link #ABOUT_TUNNEL}, {@link #OTHER_TYPE} or a negative reason.
     */
    public int parse(final DirectBuffer buffer, final int ipOffset, final int ipLength)
    {
        tunnel = false;
        embeddedProtocol = 0;
        embeddedSrcPort = 0;
        embeddedDstPort = 0;
        tunnelSrcAddr = 0;
        tunnelDstAddr = 0;
        if (ipLength < Ipv4Header.MIN_LENGTH)
        {
            return TRUNCATED;
        }
        final int versionIhl = buffer.getByte(ipOffset + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        final int ihl = (versionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        final int totalLength = buffer.getShort(ipOffset + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION_4 || ihl < Ipv4Header.MIN_LENGTH || totalLength < ihl ||
            (buffer.getByte(ipOffset + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK) != Ipv4Header.PROTOCOL_ICMP)
        {
            return MALFORMED;
        }
        if (totalLength > ipLength || totalLength - ihl < IcmpHeader.LENGTH)
        {
            return TRUNCATED;
        }
        final int fragmentField =
            buffer.getShort(ipOffset + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((fragmentField & (Ipv4Header.FLAG_MORE_FRAGMENTS | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0)
        {
            return FRAGMENTED;
        }
        errorSrcAddr = buffer.getInt(ipOffset + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        errorDstAddr = buffer.getInt(ipOffset + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        final int icmp = ipOffset + ihl;
        final int icmpLength = totalLength - ihl;
        icmpOffset = icmp;
        icmpType = buffer.getByte(icmp + IcmpHeader.TYPE_OFFSET) & BYTE_MASK;
        icmpCode = buffer.getByte(icmp + IcmpHeader.CODE_OFFSET) & BYTE_MASK;
        restOfHeader = buffer.getInt(icmp + IcmpHeader.REST_OFFSET, ByteOrder.BIG_ENDIAN);
        if (!IcmpHeader.isRelayedError(icmpType))
        {
            return OTHER_TYPE;
        }
        if (Checksums.fold(Checksums.sum(buffer, icmp, icmpLength, 0)) != CHECKSUM_OK)
        {
            return BAD_CHECKSUM;
        }

        final int end = icmp + icmpLength;
        int embedded = icmp + IcmpHeader.LENGTH;
        int embeddedIhl = embeddedHeaderLength(buffer, embedded, end);
        if (embeddedIhl < 0)
        {
            return embeddedIhl;
        }
        if ((buffer.getByte(embedded + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK) == Ipv4Header.PROTOCOL_IPIP)
        {
            if (isNonFirstFragment(buffer, embedded))
            {
                return EMBEDDED_FRAGMENT;
            }
            tunnel = true;
            tunnelSrcAddr = buffer.getInt(embedded + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
            tunnelDstAddr = buffer.getInt(embedded + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
            embedded += embeddedIhl;
            embeddedIhl = embeddedHeaderLength(buffer, embedded, end);
            if (embeddedIhl < 0)
            {
                return embeddedIhl;
            }
        }
        embeddedOffset = embedded;
        embeddedLength = end - embedded;
        embeddedProtocol = buffer.getByte(embedded + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK;
        embeddedSrcAddr = buffer.getInt(embedded + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        embeddedDstAddr = buffer.getInt(embedded + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        embeddedDontFragment = (buffer.getShort(embedded + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) &
            Ipv4Header.FLAG_DONT_FRAGMENT) != 0;
        if (isNonFirstFragment(buffer, embedded))
        {
            return EMBEDDED_FRAGMENT;
        }
        if (embeddedProtocol != Ipv4Header.PROTOCOL_TCP && embeddedProtocol != Ipv4Header.PROTOCOL_UDP)
        {
            return EMBEDDED_NOT_TCP_UDP;
        }
        if (embeddedLength < embeddedIhl + PORTS_LENGTH)
        {
            return EMBEDDED_TRUNCATED;
        }
        // TCP and UDP keep both ports at the same offsets.
        embeddedSrcPort = buffer.getShort(embedded + embeddedIhl + TcpHeader.SRC_PORT_OFFSET, ByteOrder.BIG_ENDIAN) &
            WORD_MASK;
        embeddedDstPort = buffer.getShort(embedded + embeddedIhl + TcpHeader.DST_PORT_OFFSET, ByteOrder.BIG_ENDIAN) &
            WORD_MASK;
        return tunnel ? ABOUT_TUNNEL : ABOUT_REPLY;
    }

    /** The quoted header's length, or a negative reason when it is not all there or not IPv4. */
    private static int embeddedHeaderLength(final DirectBuffer buffer, final int embedded, final int end)
    {
        if (end - embedded < Ipv4Header.MIN_LENGTH)
        {
            return EMBEDDED_TRUNCATED;
        }
        final int versionIhl = buffer.getByte(embedded + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        final int ihl = (versionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION_4 || ihl < Ipv4Header.MIN_LENGTH)
        {
            return EMBEDDED_MALFORMED;
        }
        if (ihl > end - embedded)
        {
            return EMBEDDED_TRUNCATED;
        }
        return ihl;
    }

    private static boolean isNonFirstFragment(final DirectBuffer buffer, final int ip)
    {
        return (buffer.getShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) &
            Ipv4Header.FRAGMENT_OFFSET_MASK) != 0;
    }

    public int icmpType()
    {
        return icmpType;
    }

    public int icmpCode()
    {
        return icmpCode;
    }

    /** The ICMP rest word as sent (for relaying other errors unchanged). */
    public int restOfHeader()
    {
        return restOfHeader;
    }

    /** Fragmentation needed: the MTU the router reported (RFC 1191; 0 from routers older than that). */
    public int nextHopMtu()
    {
        return restOfHeader & WORD_MASK;
    }

    public boolean isFragmentationNeeded()
    {
        return icmpType == IcmpHeader.TYPE_DEST_UNREACHABLE && icmpCode == IcmpHeader.CODE_FRAGMENTATION_NEEDED;
    }

    /** Absolute offset of the ICMP header. */
    public int icmpOffset()
    {
        return icmpOffset;
    }

    /** Who sent the error (a router, or the client), host order. */
    public int errorSrcAddr()
    {
        return errorSrcAddr;
    }

    /** Where the error was sent: a VIP ({@link #ABOUT_REPLY}) or the director ({@link #ABOUT_TUNNEL}). */
    public int errorDstAddr()
    {
        return errorDstAddr;
    }

    /** Absolute offset of the quoted client-flow IP header (for IPIP: the inner one, after the tunnel header). */
    public int embeddedOffset()
    {
        return embeddedOffset;
    }

    /** Bytes of the quoted client-flow packet present, from {@link #embeddedOffset()} to the end of the message. */
    public int embeddedLength()
    {
        return embeddedLength;
    }

    public int embeddedProtocol()
    {
        return embeddedProtocol;
    }

    public int embeddedSrcAddr()
    {
        return embeddedSrcAddr;
    }

    public int embeddedDstAddr()
    {
        return embeddedDstAddr;
    }

    public int embeddedSrcPort()
    {
        return embeddedSrcPort;
    }

    public int embeddedDstPort()
    {
        return embeddedDstPort;
    }

    /** Whether the quoted client-flow packet had DF set (for IPIP: does the client do PMTU discovery?). */
    public boolean embeddedDontFragment()
    {
        return embeddedDontFragment;
    }

    /** {@link #ABOUT_TUNNEL}: the outer source of the quoted IPIP packet: must be the director. */
    public int tunnelSrcAddr()
    {
        return tunnelSrcAddr;
    }

    /** {@link #ABOUT_TUNNEL}: the real server the IPIP packet was going to. */
    public int tunnelDstAddr()
    {
        return tunnelDstAddr;
    }

    /** The connection's client address (host order): the quoted destination for replies, the source for IPIP. */
    public int clientAddr()
    {
        return tunnel ? embeddedSrcAddr : embeddedDstAddr;
    }

    public int clientPort()
    {
        return tunnel ? embeddedSrcPort : embeddedDstPort;
    }

    /** The connection's virtual address: the quoted source for replies, the destination for IPIP. */
    public int virtualAddr()
    {
        return tunnel ? embeddedDstAddr : embeddedSrcAddr;
    }

    public int virtualPort()
    {
        return tunnel ? embeddedDstPort : embeddedSrcPort;
    }
}
