package io.jlvs.healthcheck;

import io.jlvs.arp.ArpHeader;
import io.jlvs.arp.MacAddress;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Frames as the far side of a {@code PATH_CHECK} puts them on the wire (the server's SYN-ACK or RST, its ARP reply),
 * and reads of the frames the checker sends; for the tests that play that side.
 */
final class ProbeWire
{
    static final int SEGMENT_FRAME_LENGTH = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH;
    private static final int DATA_OFFSET_BYTE = 0x50;
    private static final int VERSION_IHL = 0x45;
    private static final int LINUX_WINDOW = 65_160;
    private static final int TTL = 64;
    private static final int WORD_MASK = 0xFFFF;

    private ProbeWire()
    {
    }

    /** An IPv4 TCP segment with no options; checksums left 0 (nothing on the receiving side checks them). */
    static byte[] segment(
        final long srcMac, final long dstMac, final int src, final int srcPort, final int dst, final int dstPort,
        final int ack, final int flags)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[EthernetHeader.MIN_FRAME_LENGTH]);
        MacAddress.write(frame, EthernetHeader.DST_MAC_OFFSET, dstMac);
        MacAddress.write(frame, EthernetHeader.SRC_MAC_OFFSET, srcMac);
        frame.putShort(EthernetHeader.ETHERTYPE_OFFSET, (short)EthernetHeader.ETHERTYPE_IPV4, ByteOrder.BIG_ENDIAN);
        final int ip = EthernetHeader.LENGTH;
        frame.putByte(ip, (byte)VERSION_IHL);
        frame.putShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)(Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH),
            ByteOrder.BIG_ENDIAN);
        frame.putShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, (short)Ipv4Header.FLAG_DONT_FRAGMENT,
            ByteOrder.BIG_ENDIAN);
        frame.putByte(ip + Ipv4Header.TTL_OFFSET, (byte)TTL);
        frame.putByte(ip + Ipv4Header.PROTOCOL_OFFSET, (byte)Ipv4Header.PROTOCOL_TCP);
        frame.putInt(ip + Ipv4Header.SRC_ADDR_OFFSET, src, ByteOrder.BIG_ENDIAN);
        frame.putInt(ip + Ipv4Header.DST_ADDR_OFFSET, dst, ByteOrder.BIG_ENDIAN);
        final int tcp = ip + Ipv4Header.MIN_LENGTH;
        frame.putShort(tcp + TcpHeader.SRC_PORT_OFFSET, (short)srcPort, ByteOrder.BIG_ENDIAN);
        frame.putShort(tcp + TcpHeader.DST_PORT_OFFSET, (short)dstPort, ByteOrder.BIG_ENDIAN);
        frame.putInt(tcp + TcpHeader.SEQUENCE_OFFSET, 0x0BAD_F00D, ByteOrder.BIG_ENDIAN);
        frame.putInt(tcp + TcpHeader.ACK_OFFSET, ack, ByteOrder.BIG_ENDIAN);
        frame.putByte(tcp + TcpHeader.DATA_OFFSET_OFFSET, (byte)DATA_OFFSET_BYTE);
        frame.putByte(tcp + TcpHeader.FLAGS_OFFSET, (byte)flags);
        frame.putShort(tcp + TcpHeader.WINDOW_OFFSET, (short)LINUX_WINDOW, ByteOrder.BIG_ENDIAN);
        return frame.byteArray();
    }

    /** An ARP reply: {@code senderIp} is at {@code senderMac}, to {@code targetMac}/{@code targetIp}. */
    static byte[] arpReply(final long senderMac, final int senderIp, final long targetMac, final int targetIp)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME]);
        MacAddress.write(frame, ArpHeader.DST_MAC_OFFSET, targetMac);
        MacAddress.write(frame, ArpHeader.SRC_MAC_OFFSET, senderMac);
        frame.putShort(ArpHeader.ETHERTYPE_OFFSET, (short)ArpHeader.ETHERTYPE_ARP, ByteOrder.BIG_ENDIAN);
        final int arp = ArpHeader.ETHERNET_HEADER_LENGTH;
        frame.putShort(arp + ArpHeader.HTYPE_OFFSET, (short)ArpHeader.HTYPE_ETHERNET, ByteOrder.BIG_ENDIAN);
        frame.putShort(arp + ArpHeader.PTYPE_OFFSET, (short)ArpHeader.PTYPE_IPV4, ByteOrder.BIG_ENDIAN);
        frame.putByte(arp + ArpHeader.HLEN_OFFSET, (byte)ArpHeader.HLEN_ETHERNET);
        frame.putByte(arp + ArpHeader.PLEN_OFFSET, (byte)ArpHeader.PLEN_IPV4);
        frame.putShort(arp + ArpHeader.OPER_OFFSET, (short)ArpHeader.OPER_REPLY, ByteOrder.BIG_ENDIAN);
        MacAddress.write(frame, arp + ArpHeader.SHA_OFFSET, senderMac);
        frame.putInt(arp + ArpHeader.SPA_OFFSET, senderIp, ByteOrder.BIG_ENDIAN);
        MacAddress.write(frame, arp + ArpHeader.THA_OFFSET, targetMac);
        frame.putInt(arp + ArpHeader.TPA_OFFSET, targetIp, ByteOrder.BIG_ENDIAN);
        return frame.byteArray();
    }

    /** A sent frame's Ethernet destination. */
    static long destinationMac(final byte[] frame)
    {
        return MacAddress.read(new UnsafeBuffer(frame), EthernetHeader.DST_MAC_OFFSET);
    }

    static int etherType(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getShort(EthernetHeader.ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
    }

    /** Offset of the IPv4 header that carries the TCP segment: the inner one in an IPIP packet. */
    static int segmentIp(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int ip = EthernetHeader.LENGTH;
        return (buffer.getByte(ip + Ipv4Header.PROTOCOL_OFFSET) & 0xFF) == Ipv4Header.PROTOCOL_IPIP ?
            ip + Ipv4Header.MIN_LENGTH : ip;
    }

    static int ipSource(final byte[] frame, final int ip)
    {
        return new UnsafeBuffer(frame).getInt(ip + Ipv4Header.SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    static int ipDestination(final byte[] frame, final int ip)
    {
        return new UnsafeBuffer(frame).getInt(ip + Ipv4Header.DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    static int sourcePort(final byte[] frame)
    {
        return tcpWord(frame, TcpHeader.SRC_PORT_OFFSET);
    }

    static int destinationPort(final byte[] frame)
    {
        return tcpWord(frame, TcpHeader.DST_PORT_OFFSET);
    }

    static int sequence(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(segmentIp(frame) + Ipv4Header.MIN_LENGTH + TcpHeader.SEQUENCE_OFFSET,
            ByteOrder.BIG_ENDIAN);
    }

    static int tcpFlags(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getByte(segmentIp(frame) + Ipv4Header.MIN_LENGTH + TcpHeader.FLAGS_OFFSET) &
            0xFF;
    }

    private static int tcpWord(final byte[] frame, final int offset)
    {
        return new UnsafeBuffer(frame).getShort(segmentIp(frame) + Ipv4Header.MIN_LENGTH + offset,
            ByteOrder.BIG_ENDIAN) & WORD_MASK;
    }
}
