package io.jlvs.healthcheck;

import io.jlvs.config.ForwardingMethod;
import io.jlvs.dataplane.codec.Checksums;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.IpipEncapsulation;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The frames a {@code PATH_CHECK} sends, built as the director builds a forwarded client frame: a TCP segment with no
 * options and no payload from the director's address to VIP:port, for DR in an Ethernet frame addressed to the real
 * server's MAC, for TUN wrapped by {@link IpipEncapsulation} (outer header director to real server, Ethernet to the
 * next hop, inner TTL decremented as forwarding does).
 * <pre>
 *   DR   [ Eth: RS MAC &lt;- director | IPv4: director -&gt; VIP, TTL 64, DF | TCP: port -&gt; VIP port | zero pad to 60 ]
 *   TUN  [ Eth: next hop &lt;- director | IPv4: director -&gt; RS, IPIP, TTL 63 | IPv4: director -&gt; VIP, TTL 63 | TCP ]
 * </pre>
 * One instance per attempt (it owns the tunnel's outer ID counter); control plane only.
 */
final class PathProbeFrames
{
    /** The SYN and the RST carry no TCP options: the connection is never used, so nothing is worth negotiating. */
    static final int SEGMENT_LENGTH = TcpHeader.MIN_LENGTH;
    static final int PACKET_LENGTH = Ipv4Header.MIN_LENGTH + SEGMENT_LENGTH;
    /** Bytes before the frame that TUN needs for its outer header (the inner frame is written after them). */
    static final int TUNNEL_HEADROOM = IpipEncapsulation.OUTER_HEADER_LENGTH;
    /** A DR frame: the segment in Ethernet, zero-padded to Ethernet's minimum as a NIC would pad it. */
    static final int DR_FRAME_LENGTH = Math.max(EthernetHeader.MIN_FRAME_LENGTH, EthernetHeader.LENGTH + PACKET_LENGTH);
    /** The most bytes one frame takes from where it is written: TUN builds a DR frame after its headroom first. */
    static final int MAX_FRAME_LENGTH = TUNNEL_HEADROOM + DR_FRAME_LENGTH;

    /** Linux's {@code ip_default_ttl}: the probe leaves as a segment of the director's own stack would. */
    static final int TTL = 64;
    /** Linux's first window for a 1500-byte MTU (44 segments of 1460); any value does, no data ever flows. */
    static final int WINDOW = 64_240;

    private static final int VERSION_IHL = (Ipv4Header.VERSION_4 << 4) | (Ipv4Header.MIN_LENGTH /
        Ipv4Header.IHL_UNIT_BYTES);
    private static final int DATA_OFFSET_SHIFT = 4;
    private static final int DATA_OFFSET_BYTE = (SEGMENT_LENGTH / Ipv4Header.IHL_UNIT_BYTES) << DATA_OFFSET_SHIFT;
    private static final int MAC_HIGH_SHIFT = Integer.SIZE;

    private final ForwardingMethod method;
    private final long directorMac;
    private final long nextHopMac;
    private final int director;
    private final int realServer;
    private final int mtu;
    private final IpipEncapsulation tunnel;

    /**
     * @param nextHopMac    where frames go on the wire: the real server (DR, or TUN on-link), else the gateway.
     * @param director      the director interface's own address (host order): the probe's source, and TUN's outer.
     * @param mtu           the interface MTU, which the tunnelled probe easily fits.
     * @param firstOuterId  the first TUN outer IP ID (random, as the director seeds its own).
     */
    PathProbeFrames(
        final ForwardingMethod method, final long directorMac, final long nextHopMac, final int director,
        final int realServer, final int mtu, final int firstOuterId)
    {
        this.method = method;
        this.directorMac = directorMac;
        this.nextHopMac = nextHopMac;
        this.director = director;
        this.realServer = realServer;
        this.mtu = mtu;
        this.tunnel = new IpipEncapsulation(firstOuterId);
    }

    /**
     * Writes one segment from {@code director:sourcePort} to {@code vip:vipPort} as a whole frame starting at
     * {@code offset}; {@code [offset, offset + MAX_FRAME_LENGTH)} must be in the buffer.
     *
     * @param flags    {@link TcpHeader#FLAG_SYN} or {@link TcpHeader#FLAG_RST}.
     * @param sequence the segment's sequence number: the ISN for the SYN, ISN + 1 for the RST after a SYN-ACK.
     * @param ipId     the (inner) IP identification.
     * @return the frame's length, or 0 when the tunnel refused it (an MTU below IPv4's minimum).
     */
    int write(
        final MutableDirectBuffer buffer, final int offset, final int vip, final int vipPort, final int sourcePort,
        final int sequence, final int flags, final int ipId)
    {
        if (method == ForwardingMethod.DR)
        {
            return writeFrame(buffer, offset, nextHopMac, vip, vipPort, sourcePort, sequence, flags, ipId);
        }
        final int inner = offset + TUNNEL_HEADROOM;
        // The inner Ethernet header only has to be well-formed: the encapsulation writes the outer one over it.
        final int innerLength = writeFrame(buffer, inner, nextHopMac, vip, vipPort, sourcePort, sequence, flags, ipId);
        final int result = tunnel.encapsulate(buffer, inner, innerLength, director, realServer, nextHopMac,
            directorMac, mtu);
        return result == IpipEncapsulation.ENCAPSULATED ? tunnel.frameLength() : 0;
    }

    /** Ethernet, IPv4 and TCP with both checksums, zero-padded to Ethernet's minimum; returns the frame length. */
    private int writeFrame(
        final MutableDirectBuffer buffer, final int offset, final long dstMac, final int vip, final int vipPort,
        final int sourcePort, final int sequence, final int flags, final int ipId)
    {
        writeMac(buffer, offset + EthernetHeader.DST_MAC_OFFSET, dstMac);
        writeMac(buffer, offset + EthernetHeader.SRC_MAC_OFFSET, directorMac);
        buffer.putShort(offset + EthernetHeader.ETHERTYPE_OFFSET, (short)EthernetHeader.ETHERTYPE_IPV4,
            ByteOrder.BIG_ENDIAN);

        final int ip = offset + EthernetHeader.LENGTH;
        buffer.putByte(ip + Ipv4Header.VERSION_IHL_OFFSET, (byte)VERSION_IHL);
        buffer.putByte(ip + Ipv4Header.TOS_OFFSET, (byte)0);
        buffer.putShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)PACKET_LENGTH, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + Ipv4Header.IDENTIFICATION_OFFSET, (short)ipId, ByteOrder.BIG_ENDIAN);
        // DF, as Linux sets it on every TCP segment (path MTU discovery).
        buffer.putShort(ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET, (short)Ipv4Header.FLAG_DONT_FRAGMENT,
            ByteOrder.BIG_ENDIAN);
        buffer.putByte(ip + Ipv4Header.TTL_OFFSET, (byte)TTL);
        buffer.putByte(ip + Ipv4Header.PROTOCOL_OFFSET, (byte)Ipv4Header.PROTOCOL_TCP);
        buffer.putShort(ip + Ipv4Header.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ip + Ipv4Header.SRC_ADDR_OFFSET, director, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ip + Ipv4Header.DST_ADDR_OFFSET, vip, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + Ipv4Header.CHECKSUM_OFFSET,
            (short)Checksums.ipv4Header(buffer, ip, Ipv4Header.MIN_LENGTH), ByteOrder.BIG_ENDIAN);

        final int tcp = ip + Ipv4Header.MIN_LENGTH;
        buffer.putShort(tcp + TcpHeader.SRC_PORT_OFFSET, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(tcp + TcpHeader.DST_PORT_OFFSET, (short)vipPort, ByteOrder.BIG_ENDIAN);
        buffer.putInt(tcp + TcpHeader.SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        buffer.putInt(tcp + TcpHeader.ACK_OFFSET, 0, ByteOrder.BIG_ENDIAN);
        buffer.putByte(tcp + TcpHeader.DATA_OFFSET_OFFSET, (byte)DATA_OFFSET_BYTE);
        buffer.putByte(tcp + TcpHeader.FLAGS_OFFSET, (byte)flags);
        // A RST advertises no window, as Linux's tcp_v4_send_reset does.
        buffer.putShort(tcp + TcpHeader.WINDOW_OFFSET, (short)(flags == TcpHeader.FLAG_SYN ? WINDOW : 0),
            ByteOrder.BIG_ENDIAN);
        buffer.putShort(tcp + TcpHeader.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(tcp + TcpHeader.URGENT_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(tcp + TcpHeader.CHECKSUM_OFFSET, (short)Checksums.transport(buffer, ip), ByteOrder.BIG_ENDIAN);

        final int end = ip + PACKET_LENGTH;
        buffer.setMemory(end, offset + DR_FRAME_LENGTH - end, (byte)0);
        return DR_FRAME_LENGTH;
    }

    private static void writeMac(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putShort(offset, (short)(mac >>> MAC_HIGH_SHIFT), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + Short.BYTES, (int)mac, ByteOrder.BIG_ENDIAN);
    }
}
