package io.jlvs.healthcheck;

import io.jlvs.arp.ArpHeader;
import io.jlvs.arp.MacAddress;
import io.jlvs.arp.NeighbourTable;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.FrameParser;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Reads the frames that arrive on the director interface while a {@code PATH_CHECK} attempt waits, and tells which of
 * them answer a probe: a TCP segment from VIP:port to the director's address and the probe's port that acknowledges
 * the probe's ISN + 1, with SYN and ACK (the server accepted) or RST and ACK (it refused; both prove it answers for the
 * VIP). Anything else, however close, is not an answer. Also recognises the ARP reply that resolves the next hop when
 * the director's neighbour cache does not know it. Every read is bounds-checked; nothing throws on frame data.
 */
final class PathProbeReply
{
    /** Not an answer to this probe. */
    static final int NONE = 0;
    /** SYN-ACK: the server holds the VIP and something listens on the port. */
    static final int SYN_ACK = 1;
    /** RST-ACK: the server holds the VIP and nothing listens on the port. */
    static final int RESET = 2;

    private static final int BYTE_MASK = 0xFF;
    private static final int WORD_MASK = 0xFFFF;
    private static final int ANSWER_FLAGS = TcpHeader.FLAG_SYN | TcpHeader.FLAG_ACK;

    private final FrameParser parser = new FrameParser();
    private boolean segment;
    private long sourceMac;
    private int ack;

    /**
     * Reads the frame at {@code [offset, offset + length)}.
     *
     * @return whether it is an IPv4 TCP segment (a first fragment or whole), which {@link #answers} may then match.
     */
    boolean read(final DirectBuffer buffer, final int offset, final int length)
    {
        segment = parser.parse(buffer, offset, length) == FrameParser.IPV4 &&
            parser.protocol() == Ipv4Header.PROTOCOL_TCP && parser.hasPorts();
        if (segment)
        {
            // The parser checked that the whole TCP header lies within the frame.
            ack = buffer.getInt(parser.l4Offset() + TcpHeader.ACK_OFFSET, ByteOrder.BIG_ENDIAN);
            sourceMac = MacAddress.read(buffer, offset + EthernetHeader.SRC_MAC_OFFSET);
        }
        return segment;
    }

    /**
     * Whether the segment last {@link #read} answers the probe {@code director:directorPort -> vip:vipPort} whose SYN
     * carried {@code isn}.
     *
     * @return {@link #SYN_ACK}, {@link #RESET} or {@link #NONE}.
     */
    int answers(final int director, final int directorPort, final int vip, final int vipPort, final int isn)
    {
        if (!segment || parser.srcAddr() != vip || parser.srcPort() != vipPort || parser.dstAddr() != director ||
            parser.dstPort() != directorPort)
        {
            return NONE;
        }
        final int flags = parser.tcpFlags();
        // An answer to our SYN acknowledges exactly it: ISN + 1 (RFC 9293 3.10.7.1 and 3.10.7.2).
        if ((flags & TcpHeader.FLAG_ACK) == 0 || ack != isn + 1)
        {
            return NONE;
        }
        if ((flags & TcpHeader.FLAG_RST) != 0)
        {
            return RESET;
        }
        return (flags & ANSWER_FLAGS) == ANSWER_FLAGS ? SYN_ACK : NONE;
    }

    /** The Ethernet source of the segment last {@link #read}: the station that put the answer on the wire. */
    long sourceMac()
    {
        return sourceMac;
    }

    /**
     * The MAC in an ARP reply from {@code address} to {@code director}, or {@link NeighbourTable#NO_MAC} when the
     * frame is anything else (a request, another sender, a group address as sender MAC, not IPv4 over Ethernet).
     */
    static long arpReplyMac(
        final DirectBuffer buffer, final int offset, final int length, final int address, final int director)
    {
        if (length < ArpHeader.FRAME_LENGTH ||
            (buffer.getShort(offset + ArpHeader.ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK) !=
                ArpHeader.ETHERTYPE_ARP)
        {
            return NeighbourTable.NO_MAC;
        }
        final int arp = offset + ArpHeader.ETHERNET_HEADER_LENGTH;
        if ((buffer.getShort(arp + ArpHeader.HTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK) !=
                ArpHeader.HTYPE_ETHERNET ||
            (buffer.getShort(arp + ArpHeader.PTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK) !=
                ArpHeader.PTYPE_IPV4 ||
            (buffer.getByte(arp + ArpHeader.HLEN_OFFSET) & BYTE_MASK) != ArpHeader.HLEN_ETHERNET ||
            (buffer.getByte(arp + ArpHeader.PLEN_OFFSET) & BYTE_MASK) != ArpHeader.PLEN_IPV4 ||
            (buffer.getShort(arp + ArpHeader.OPER_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK) !=
                ArpHeader.OPER_REPLY ||
            buffer.getInt(arp + ArpHeader.SPA_OFFSET, ByteOrder.BIG_ENDIAN) != address ||
            buffer.getInt(arp + ArpHeader.TPA_OFFSET, ByteOrder.BIG_ENDIAN) != director)
        {
            return NeighbourTable.NO_MAC;
        }
        final long mac = MacAddress.read(buffer, arp + ArpHeader.SHA_OFFSET);
        return MacAddress.isUnicast(mac) ? mac : NeighbourTable.NO_MAC;
    }
}
