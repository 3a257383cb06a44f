package io.jlvs.dataplane.forward;

import io.jlvs.dataplane.codec.Checksums;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.GsoSegmenter;
import io.jlvs.dataplane.codec.IcmpHeader;
import io.jlvs.dataplane.codec.IpipEncapsulation;
import io.jlvs.dataplane.codec.Ipv4Fragmenter;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The TUN forwarding method (IPVS {@code ip_vs_tunnel_xmit}): the client's IP packet goes to the real server inside
 * an outer IPv4 header (protocol 4) from the director, to the next hop on the way there. A packet too big for the
 * tunnel is answered with ICMP "fragmentation needed" (DF set) or cut into fragments (DF clear) before it is
 * wrapped; a GSO super-frame is cut into segments first, because no virtio-net header can ask the kernel to segment
 * inside an IPIP tunnel.
 */
final class Tunnel
{
    private final TxQueue tx;
    private final Counters counters;
    private final IpipEncapsulation encapsulation = new IpipEncapsulation(ThreadLocalRandom.current().nextInt());
    private final GsoSegmenter segmenter = new GsoSegmenter();
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final long directorMac;
    private final int directorAddress;
    private final int mtu;
    private final IcmpAnswers icmp;

    Tunnel(
        final TxQueue tx, final Counters counters, final IcmpAnswers icmp, final long directorMac,
        final int directorAddress, final int mtu)
    {
        this.tx = tx;
        this.icmp = icmp;
        this.counters = counters;
        this.directorMac = directorMac;
        this.directorAddress = directorAddress;
        this.mtu = mtu;
    }

    /**
     * Sends the frame at {@code frameOffset} to {@code realServer} through the tunnel; the frame's own virtio-net
     * header (when {@code hasVnet}) sits 10 bytes in front of it and there are at least 30 bytes of headroom.
     *
     * @param sourceMac where the frame came from: the L2 next hop back to the client, for ICMP answers.
     * @return whether anything was queued for the server.
     */
    boolean transmit(
        final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final boolean hasVnet,
        final int realServer, final long nextHopMac, final long sourceMac)
    {
        final int result = hasVnet ?
            encapsulation.encapsulateWithVnet(buffer, frameOffset, frameLength, directorAddress, realServer,
                nextHopMac, directorMac, mtu) :
            encapsulation.encapsulate(buffer, frameOffset, frameLength, directorAddress, realServer, nextHopMac,
                directorMac, mtu);
        switch (result)
        {
            case IpipEncapsulation.ENCAPSULATED:
                counters.increment(Counter.TUN_ENCAPSULATED);
                return tx.queueFrame(buffer, encapsulation.frameOffset(), encapsulation.frameLength(), hasVnet);
            case IpipEncapsulation.NEEDS_SEGMENTATION:
                return segmentAndSend(buffer, frameOffset, frameLength, realServer, nextHopMac);
            case IpipEncapsulation.NEEDS_FRAGMENTATION:
                return fragmentAndSend(buffer, frameOffset, frameLength, hasVnet, realServer, nextHopMac);
            case IpipEncapsulation.FRAGMENTATION_NEEDED:
                icmp.answer(buffer, frameOffset, sourceMac, IcmpHeader.TYPE_DEST_UNREACHABLE,
                    IcmpHeader.CODE_FRAGMENTATION_NEEDED, encapsulation.tunnelMtu(), Counter.ICMP_FRAG_NEEDED_SENT);
                counters.increment(Counter.DROP_TUNNEL_MTU);
                return false;
            case IpipEncapsulation.TTL_EXPIRED:
                icmp.answer(buffer, frameOffset, sourceMac, IcmpHeader.TYPE_TIME_EXCEEDED, 0, 0,
                    Counter.ICMP_TIME_EXCEEDED_SENT);
                counters.increment(Counter.DROP_TTL_EXPIRED);
                return false;
            case IpipEncapsulation.MTU_TOO_SMALL:
                counters.increment(Counter.DROP_TUNNEL_MTU);
                return false;
            case IpipEncapsulation.TRUNCATED:
                counters.increment(Counter.DROP_TRUNCATED);
                return false;
            default:
                counters.increment(Counter.DROP_MALFORMED);
                return false;
        }
    }

    /** Cuts a GSO super-frame into MSS-sized segments that fit the tunnel, each wrapped and queued on its own. */
    private boolean segmentAndSend(
        final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final int realServer,
        final long nextHopMac)
    {
        final int vnetOffset = frameOffset - VnetHeader.LENGTH;
        final int segments = segmenter.begin(buffer, frameOffset, frameLength, VnetHeader.gsoType(buffer, vnetOffset),
            VnetHeader.gsoSize(buffer, vnetOffset), IpipEncapsulation.innerMtu(mtu));
        if (segments <= 0)
        {
            counters.increment(Counter.DROP_GSO_UNSUPPORTED);
            return false;
        }
        counters.increment(Counter.TUN_SUPER_FRAMES_SEGMENTED);
        boolean sent = false;
        final UnsafeBuffer pool = tx.segments();
        for (int i = 0; i < segments; i++)
        {
            final int offset = tx.claimSegment();
            final int length = segmenter.next(pool, offset, tx.segmentCapacity());
            if (length <= 0)
            {
                counters.increment(Counter.DROP_SEGMENT_POOL_FULL);
                return sent;
            }
            sent |= wrapPiece(pool, offset, length, realServer, nextHopMac);
            counters.increment(Counter.TUN_SEGMENTS);
        }
        return sent;
    }

    /** Cuts a packet that has DF clear into fragments that fit the tunnel, each wrapped and queued on its own. */
    private boolean fragmentAndSend(
        final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final boolean hasVnet,
        final int realServer, final long nextHopMac)
    {
        if (hasVnet && (VnetHeader.flags(buffer, frameOffset - VnetHeader.LENGTH) & VnetHeader.F_NEEDS_CSUM) != 0)
        {
            // The checksum covers the whole datagram: finish it before the datagram is cut.
            final int vnetOffset = frameOffset - VnetHeader.LENGTH;
            final int start = frameOffset + VnetHeader.csumStart(buffer, vnetOffset);
            final int ipLength = buffer.getShort(frameOffset + EthernetHeader.LENGTH + Ipv4Header.TOTAL_LENGTH_OFFSET,
                ByteOrder.BIG_ENDIAN) & 0xFFFF;
            Checksums.completePartial(buffer, start, start + VnetHeader.csumOffset(buffer, vnetOffset),
                frameOffset + EthernetHeader.LENGTH + ipLength);
            counters.increment(Counter.CHECKSUMS_COMPLETED);
        }
        final int fragments = fragmenter.begin(buffer, frameOffset, frameLength, IpipEncapsulation.innerMtu(mtu));
        if (fragments <= 0)
        {
            counters.increment(Counter.DROP_TUNNEL_MTU);
            return false;
        }
        counters.increment(Counter.TUN_PACKETS_FRAGMENTED);
        boolean sent = false;
        final UnsafeBuffer pool = tx.segments();
        for (int i = 0; i < fragments; i++)
        {
            final int offset = tx.claimSegment();
            final int length = fragmenter.next(pool, offset, tx.segmentCapacity());
            if (length <= 0)
            {
                counters.increment(Counter.DROP_SEGMENT_POOL_FULL);
                return sent;
            }
            sent |= wrapPiece(pool, offset, length, realServer, nextHopMac);
        }
        return sent;
    }

    private boolean wrapPiece(
        final UnsafeBuffer pool, final int offset, final int length, final int realServer, final long nextHopMac)
    {
        final int result = encapsulation.encapsulate(pool, offset, length, directorAddress, realServer, nextHopMac,
            directorMac, mtu);
        if (result != IpipEncapsulation.ENCAPSULATED)
        {
            counters.increment(Counter.DROP_TUNNEL_MTU);
            return false;
        }
        counters.increment(Counter.TUN_ENCAPSULATED);
        return tx.queueFrame(pool, encapsulation.frameOffset(), encapsulation.frameLength(), false);
    }
}
