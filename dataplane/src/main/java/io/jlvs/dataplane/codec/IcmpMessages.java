package io.jlvs.dataplane.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The ICMP messages jlvs itself sends: errors about a client's packet (fragmentation needed when a packet plus the
 * IPIP header exceeds the MTU, time exceeded, an error relayed from the tunnel path) and echo replies for a VIP.
 * <p>
 * An error is sent as the kernel's {@code icmp_send} sends it for a packet addressed to a local address, which a VIP
 * is on an IPVS director: from the offending packet's destination (the VIP, so the client sees its error come from
 * the address it talks to; {@code saddr = iph->daddr} when the route is {@code RTCF_LOCAL}) to its source, TOS
 * {@code (tos & 0x1E) | 0xC0} (precedence "internetwork control"), TTL 64, DF clear (the ICMP socket does not do
 * PMTU discovery). It quotes the offending IP header and the first 8 bytes after it (RFC 792; enough for the ports;
 * Linux quotes up to 576 bytes in all, jlvs keeps the whole frame within {@link #MAX_ERROR_FRAME_LENGTH} so that it
 * fits a small scratch slot). As RFC 1122 3.2.2 demands, no error is built about an ICMP error, a non-first
 * fragment, or a packet from an address that does not name one host.
 * <p>
 * Ethernet addresses are the caller's: for an answer to a frame just received, its source MAC is the way back.
 * No allocation, no exception on frame data; negative results say why nothing was written.
 */
public final class IcmpMessages
{
    /** Not written: the output room is too small. */
    public static final int NO_ROOM = -1;
    /** Not written: the offending packet is shorter than its IP header (or than the 8 bytes an error quotes). */
    public static final int QUOTE_TRUNCATED = -2;
    /** Not written: the offending packet's IP header is malformed. */
    public static final int QUOTE_MALFORMED = -3;
    /** Not written (RFC 1122 3.2.2): the offending packet is a non-first fragment. */
    public static final int SUPPRESSED_FRAGMENT = -4;
    /** Not written (RFC 1122 3.2.2): the offending packet is itself an ICMP error. */
    public static final int SUPPRESSED_ICMP_ERROR = -5;
    /** Not written (RFC 1122 3.2.2): the source is 0, loopback, multicast, broadcast or class E. */
    public static final int SUPPRESSED_SOURCE = -6;
    /** Echo: not an echo request. */
    public static final int NOT_ECHO_REQUEST = -7;
    /** Echo: the request's ICMP checksum is wrong. */
    public static final int BAD_CHECKSUM = -8;
    /** Echo: the request is fragmented (its checksum covers the whole datagram; jlvs does not reassemble). */
    public static final int FRAGMENTED = -9;
    /** Echo: the request carries IP options (Linux would echo them; jlvs does not answer such requests). */
    public static final int HAS_OPTIONS = -10;

    /** The IP TTL of what jlvs sends (Linux's default {@code ip_default_ttl}). */
    public static final int TTL = 64;
    /** The largest error frame built: Ethernet + IP + ICMP + a 60-byte quoted header + 8 bytes. */
    public static final int MAX_ERROR_FRAME_LENGTH = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + IcmpHeader.LENGTH +
        Ipv4Header.MAX_LENGTH + IcmpHeader.QUOTED_PAYLOAD_BYTES;

    private static final int BYTE_MASK = 0xFF;
    private static final int WORD_MASK = 0xFFFF;
    private static final int VERSION_IHL_NO_OPTIONS =
        (Ipv4Header.VERSION_4 << 4) | (Ipv4Header.MIN_LENGTH / Ipv4Header.IHL_UNIT_BYTES);
    /** IPTOS_TOS_MASK: the RFC 1349 TOS bits kept from the offending packet. */
    private static final int TOS_BITS = 0x1E;
    /** IPTOS_PREC_INTERNETCONTROL: the precedence every ICMP error is sent with. */
    private static final int PRECEDENCE_INTERNETWORK_CONTROL = 0xC0;
    private static final int CHECKSUM_OK = 0xFFFF;
    private static final int LOOPBACK_NET = 127;
    private static final int FIRST_OCTET_SHIFT = 24;
    /** 224/4 multicast and 240/4 class E (including 255.255.255.255): none names one host. */
    private static final int FIRST_MULTICAST_OCTET = 224;
    private static final int TYPE_SHIFT = 8;

    private IcmpMessages()
    {
    }

    /**
     * Writes an Ethernet frame carrying ICMP {@code type}/{@code code} about the IP packet at
     * {@code [quotedIpOffset, quotedIpOffset + quotedIpLength)}, sent from {@code srcAddr} to {@code dstAddr}.
     *
     * @param restOfHeader the ICMP rest word (the next-hop MTU for frag-needed, 0 for most others).
     * @param ipId         the IP ID of the message (take it from the forwarding thread's counter).
     * @return the frame length, or a negative reason.
     */
    public static int writeError(
        final MutableDirectBuffer out, final int outOffset, final int outCapacity,
        final long dstMac, final long srcMac, final int srcAddr, final int dstAddr,
        final int type, final int code, final int restOfHeader, final int ipId,
        final DirectBuffer quoted, final int quotedIpOffset, final int quotedIpLength)
    {
        final int verdict = checkQuotable(quoted, quotedIpOffset, quotedIpLength);
        if (verdict < 0)
        {
            return verdict;
        }
        final int quoteLength = verdict;
        final int icmpLength = IcmpHeader.LENGTH + quoteLength;
        final int ipLength = Ipv4Header.MIN_LENGTH + icmpLength;
        final int frameLength = EthernetHeader.LENGTH + ipLength;
        if (frameLength > outCapacity)
        {
            return NO_ROOM;
        }
        final int tos = ((quoted.getByte(quotedIpOffset + Ipv4Header.TOS_OFFSET) & TOS_BITS)) |
            PRECEDENCE_INTERNETWORK_CONTROL;
        writeEthernet(out, outOffset, dstMac, srcMac);
        final int ip = outOffset + EthernetHeader.LENGTH;
        writeIpHeader(out, ip, tos, ipLength, ipId, srcAddr, dstAddr);
        final int icmp = ip + Ipv4Header.MIN_LENGTH;
        out.putByte(icmp + IcmpHeader.TYPE_OFFSET, (byte)type);
        out.putByte(icmp + IcmpHeader.CODE_OFFSET, (byte)code);
        out.putShort(icmp + IcmpHeader.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        out.putInt(icmp + IcmpHeader.REST_OFFSET, restOfHeader, ByteOrder.BIG_ENDIAN);
        out.putBytes(icmp + IcmpHeader.LENGTH, quoted, quotedIpOffset, quoteLength);
        out.putShort(icmp + IcmpHeader.CHECKSUM_OFFSET,
            (short)(~Checksums.fold(Checksums.sum(out, icmp, icmpLength, 0)) & WORD_MASK), ByteOrder.BIG_ENDIAN);
        return frameLength;
    }

    /**
     * Writes ICMP "fragmentation needed and DF set" (type 3, code 4) carrying {@code nextHopMtu}, about the IP packet
     * at {@code offendingIpOffset}, from its destination (the VIP) back to its source (the client).
     *
     * @return the frame length, or a negative reason.
     */
    public static int writeFragmentationNeeded(
        final MutableDirectBuffer out, final int outOffset, final int outCapacity,
        final long dstMac, final long srcMac, final int nextHopMtu, final int ipId,
        final DirectBuffer offending, final int offendingIpOffset, final int offendingIpLength)
    {
        return writeAnswer(out, outOffset, outCapacity, dstMac, srcMac,
            IcmpHeader.TYPE_DEST_UNREACHABLE, IcmpHeader.CODE_FRAGMENTATION_NEEDED, nextHopMtu & WORD_MASK, ipId,
            offending, offendingIpOffset, offendingIpLength);
    }

    /**
     * Writes an error about the IP packet at {@code offendingIpOffset}, from its destination back to its source:
     * time exceeded for a TTL that ran out, or an error relayed from the tunnel path (type, code and rest word as
     * the router sent them, the MTU already corrected for the IPIP header).
     *
     * @return the frame length, or a negative reason.
     */
    public static int writeAnswer(
        final MutableDirectBuffer out, final int outOffset, final int outCapacity,
        final long dstMac, final long srcMac, final int type, final int code, final int restOfHeader, final int ipId,
        final DirectBuffer offending, final int offendingIpOffset, final int offendingIpLength)
    {
        if (offendingIpLength < Ipv4Header.MIN_LENGTH)
        {
            return QUOTE_TRUNCATED;
        }
        final int src = offending.getInt(offendingIpOffset + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        final int dst = offending.getInt(offendingIpOffset + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        return writeError(out, outOffset, outCapacity, dstMac, srcMac, src, dst, type, code, restOfHeader, ipId,
            offending, offendingIpOffset, offendingIpLength);
    }

    /**
     * Turns the echo request in the Ethernet frame at {@code [frameOffset, frameOffset + frameLength)} into its echo
     * reply in place, as the kernel's {@code icmp_echo} answers: same identifier, sequence and data, from the address
     * it was sent to (the VIP) back to its sender, TOS kept, TTL 64, DF clear, a fresh ID; the Ethernet destination
     * becomes the request's source and the source {@code srcMac}. Ethernet padding is dropped.
     *
     * @return the reply's frame length (the frame still starts at {@code frameOffset}), or a negative reason
     * (the frame is then untouched).
     */
    public static int echoReplyInPlace(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final long srcMac,
        final int ipId)
    {
        if (frameLength < EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH)
        {
            return QUOTE_TRUNCATED;
        }
        final int ip = frameOffset + EthernetHeader.LENGTH;
        final int versionIhl = buffer.getByte(ip + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        final int ihl = (versionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        final int totalLength = buffer.getShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION_4 || ihl < Ipv4Header.MIN_LENGTH || totalLength < ihl ||
            (buffer.getByte(ip + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK) != Ipv4Header.PROTOCOL_ICMP)
        {
            return QUOTE_MALFORMED;
        }
        if (totalLength > frameLength - EthernetHeader.LENGTH || totalLength - ihl < IcmpHeader.LENGTH)
        {
            return QUOTE_TRUNCATED;
        }
        final int fragmentField = buffer.getShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((fragmentField & (Ipv4Header.FLAG_MORE_FRAGMENTS | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0)
        {
            return FRAGMENTED;
        }
        final int icmp = ip + ihl;
        if ((buffer.getByte(icmp + IcmpHeader.TYPE_OFFSET) & BYTE_MASK) != IcmpHeader.TYPE_ECHO_REQUEST)
        {
            return NOT_ECHO_REQUEST;
        }
        if (ihl != Ipv4Header.MIN_LENGTH)
        {
            return HAS_OPTIONS;
        }
        final int requester = buffer.getInt(ip + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        if (!isHostAddress(requester))
        {
            return SUPPRESSED_SOURCE;
        }
        final int icmpLength = totalLength - ihl;
        if (Checksums.fold(Checksums.sum(buffer, icmp, icmpLength, 0)) != CHECKSUM_OK)
        {
            return BAD_CHECKSUM;
        }

        final int checksum = buffer.getShort(icmp + IcmpHeader.CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        // RFC 1624: only the type word changes, from (8 << 8 | code) to (0 << 8 | code).
        final int code = buffer.getByte(icmp + IcmpHeader.CODE_OFFSET) & BYTE_MASK;
        final int oldWord = (IcmpHeader.TYPE_ECHO_REQUEST << TYPE_SHIFT) | code;
        final int newWord = (IcmpHeader.TYPE_ECHO_REPLY << TYPE_SHIFT) | code;
        final long sum = (~checksum & WORD_MASK) + (~oldWord & WORD_MASK) + newWord;
        buffer.putByte(icmp + IcmpHeader.TYPE_OFFSET, (byte)IcmpHeader.TYPE_ECHO_REPLY);
        buffer.putShort(icmp + IcmpHeader.CHECKSUM_OFFSET, (short)(~Checksums.fold(sum) & WORD_MASK),
            ByteOrder.BIG_ENDIAN);

        final long requesterMac = readMac(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET);
        writeEthernet(buffer, frameOffset, requesterMac, srcMac);
        final int tos = buffer.getByte(ip + Ipv4Header.TOS_OFFSET) & BYTE_MASK;
        final int vip = buffer.getInt(ip + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
        writeIpHeader(buffer, ip, tos, totalLength, ipId, vip, requester);
        return EthernetHeader.LENGTH + totalLength;
    }

    /**
     * RFC 1122 3.2.2 checks on the packet an error would quote; returns how many bytes to quote (its header + up
     * to 8 bytes) or a negative reason.
     */
    private static int checkQuotable(final DirectBuffer quoted, final int ipOffset, final int ipLength)
    {
        if (ipLength < Ipv4Header.MIN_LENGTH)
        {
            return QUOTE_TRUNCATED;
        }
        final int versionIhl = quoted.getByte(ipOffset + Ipv4Header.VERSION_IHL_OFFSET) & BYTE_MASK;
        final int ihl = (versionIhl & Ipv4Header.IHL_MASK) * Ipv4Header.IHL_UNIT_BYTES;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION_4 || ihl < Ipv4Header.MIN_LENGTH)
        {
            return QUOTE_MALFORMED;
        }
        if (ihl > ipLength)
        {
            return QUOTE_TRUNCATED;
        }
        final int fragmentField =
            quoted.getShort(ipOffset + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if ((fragmentField & Ipv4Header.FRAGMENT_OFFSET_MASK) != 0)
        {
            return SUPPRESSED_FRAGMENT;
        }
        if (!isHostAddress(quoted.getInt(ipOffset + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN)))
        {
            return SUPPRESSED_SOURCE;
        }
        final int payloadAvailable = Math.min(IcmpHeader.QUOTED_PAYLOAD_BYTES, ipLength - ihl);
        if ((quoted.getByte(ipOffset + Ipv4Header.PROTOCOL_OFFSET) & BYTE_MASK) == Ipv4Header.PROTOCOL_ICMP)
        {
            if (payloadAvailable < 1)
            {
                return QUOTE_TRUNCATED;
            }
            // icmp_send: an unknown type is assumed to be an error too.
            final int type = quoted.getByte(ipOffset + ihl + IcmpHeader.TYPE_OFFSET) & BYTE_MASK;
            if (IcmpHeader.isError(type) || !isKnownInformational(type))
            {
                return SUPPRESSED_ICMP_ERROR;
            }
        }
        return ihl + payloadAvailable;
    }

    private static boolean isKnownInformational(final int type)
    {
        return type == IcmpHeader.TYPE_ECHO_REPLY || type == IcmpHeader.TYPE_ECHO_REQUEST ||
            (type >= IcmpHeader.TYPE_TIMESTAMP && type <= IcmpHeader.TYPE_ADDRESS_MASK_REPLY);
    }

    /** Whether {@code address} (host order) can be the source of a packet from one host: RFC 1122 3.2.2. */
    public static boolean isHostAddress(final int address)
    {
        final int firstOctet = address >>> FIRST_OCTET_SHIFT;
        return address != 0 && firstOctet != LOOPBACK_NET && firstOctet < FIRST_MULTICAST_OCTET;
    }

    private static void writeIpHeader(
        final MutableDirectBuffer out, final int ip, final int tos, final int totalLength, final int ipId,
        final int src, final int dst)
    {
        out.putByte(ip + Ipv4Header.VERSION_IHL_OFFSET, (byte)VERSION_IHL_NO_OPTIONS);
        out.putByte(ip + Ipv4Header.TOS_OFFSET, (byte)tos);
        out.putShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        out.putShort(ip + Ipv4Header.IDENTIFICATION_OFFSET, (short)ipId, ByteOrder.BIG_ENDIAN);
        out.putShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        out.putByte(ip + Ipv4Header.TTL_OFFSET, (byte)TTL);
        out.putByte(ip + Ipv4Header.PROTOCOL_OFFSET, (byte)Ipv4Header.PROTOCOL_ICMP);
        out.putShort(ip + Ipv4Header.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        out.putInt(ip + Ipv4Header.SRC_ADDR_OFFSET, src, ByteOrder.BIG_ENDIAN);
        out.putInt(ip + Ipv4Header.DST_ADDR_OFFSET, dst, ByteOrder.BIG_ENDIAN);
        out.putShort(ip + Ipv4Header.CHECKSUM_OFFSET,
            (short)Checksums.ipv4Header(out, ip, Ipv4Header.MIN_LENGTH), ByteOrder.BIG_ENDIAN);
    }

    private static void writeEthernet(
        final MutableDirectBuffer out, final int frameOffset, final long dstMac, final long srcMac)
    {
        writeMac(out, frameOffset + EthernetHeader.DST_MAC_OFFSET, dstMac);
        writeMac(out, frameOffset + EthernetHeader.SRC_MAC_OFFSET, srcMac);
        out.putShort(frameOffset + EthernetHeader.ETHERTYPE_OFFSET, (short)EthernetHeader.ETHERTYPE_IPV4,
            ByteOrder.BIG_ENDIAN);
    }

    private static void writeMac(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putShort(offset, (short)(mac >>> Integer.SIZE), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + Short.BYTES, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    private static long readMac(final DirectBuffer buffer, final int offset)
    {
        final long high = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        final long low = buffer.getInt(offset + Short.BYTES, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        return (high << Integer.SIZE) | low;
    }
}
