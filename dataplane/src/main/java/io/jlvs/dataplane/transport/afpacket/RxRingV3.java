package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.concurrent.UnsafeBuffer;

import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_DESC_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_NUM_PKTS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_OFFSET_TO_FIRST_PKT_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_STATUS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.FRAME_HEADERS_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_LEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_MAC_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_NEXT_OFFSET_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_NSEC_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_SEC_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_SNAPLEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_SOCKADDR_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_STATUS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.PACKET_OUTGOING;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.SLL_PKTTYPE_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_KERNEL;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_LOSING;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_USER;

/**
 * Reads a TPACKET_V3 RX ring in place: the one class that knows where in such a ring the reader is.
 * <p>
 * A block belongs to user space once the kernel publishes {@code TP_STATUS_USER} in its {@code block_status} (read
 * with acquire semantics, so the frames written before it are visible); its frames are handed to the sink straight
 * from the ring, without a copy, and the block is handed back with a release store of {@code TP_STATUS_KERNEL} as soon
 * as its last frame has been consumed. When {@code limit} stops a call mid-block, the next call resumes at the next
 * frame. No system call is made per frame or per block; {@code PACKET_STATISTICS} is read only when the kernel marks
 * a block {@code TP_STATUS_LOSING}.
 * <p>
 * Every offset read from the ring is checked against the block before it is used, so even a corrupt descriptor never
 * makes the reader touch memory outside the mapping.
 */
final class RxRingV3 implements RxRing
{
    private static final long U32_MASK = 0xFFFF_FFFFL;
    private static final int U16_MASK = 0xFFFF;

    private final UnsafeBuffer ring;
    private final int blockSize;
    private final int blockCount;
    private final int vnetLength;
    private final boolean skipOutgoing;
    private final TransportCounters counters;
    private final RingStatistics statistics;
    private final RxClock clock;

    private int blockIndex;
    private int blockOffset;
    private boolean blockHeld;
    private int framesLeft;
    private int frameOffset;

    /**
     * @param ringAddress  start of the mapped ring.
     * @param blockSize    {@code tp_block_size}.
     * @param blockCount   {@code tp_block_nr}.
     * @param vnetHeader   frames carry a virtio_net_hdr before {@code tp_mac}.
     * @param skipOutgoing skip frames whose {@code sll_pkttype} is {@code PACKET_OUTGOING} (this host's own
     *                     transmissions, on kernels that cannot filter them).
     * @param clock        converts the frames' wall-clock receive stamps to the {@code nanoTime} domain.
     */
    RxRingV3(
        final long ringAddress,
        final int blockSize,
        final int blockCount,
        final boolean vnetHeader,
        final boolean skipOutgoing,
        final TransportCounters counters,
        final StatisticsReader statisticsReader,
        final RxClock clock)
    {
        final long ringBytes = (long)blockSize * blockCount;
        if (ringBytes > Integer.MAX_VALUE || blockSize < BLOCK_DESC_LENGTH + FRAME_HEADERS_LENGTH || blockCount < 1)
        {
            throw new IllegalArgumentException("ring geometry out of range, blockSize=" + blockSize +
                ", blockCount=" + blockCount);
        }
        this.ring = new UnsafeBuffer(ringAddress, (int)ringBytes);
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.vnetLength = vnetHeader ? VnetHeader.LENGTH : 0;
        this.skipOutgoing = skipOutgoing;
        this.counters = counters;
        this.statistics = new RingStatistics(statisticsReader, counters);
        this.clock = clock;
    }

    @Override
    public int receive(final FrameSink sink, final int limit)
    {
        final UnsafeBuffer ring = this.ring;
        int examined = 0;
        int handed = 0;
        long bytes = 0;
        int truncated = 0;
        int outgoing = 0;
        int corrupt = 0;
        while (examined < limit)
        {
            if (framesLeft == 0)
            {
                if (blockHeld)
                {
                    releaseBlock();
                }
                if (!acquireBlock())
                {
                    break;
                }
                if (framesLeft == 0)
                {
                    continue;
                }
            }

            examined++;
            final int header = frameOffset;
            final int blockEnd = blockOffset + blockSize;
            if (header > blockEnd - FRAME_HEADERS_LENGTH)
            {
                corrupt++;
                framesLeft = 0;
                continue;
            }
            final int snapLength = ring.getInt(header + HDR_SNAPLEN_OFFSET);
            final int wireLength = ring.getInt(header + HDR_LEN_OFFSET);
            final int status = ring.getInt(header + HDR_STATUS_OFFSET);
            final int mac = ring.getShort(header + HDR_MAC_OFFSET) & U16_MASK;
            final int frame = header + mac;
            if (mac < FRAME_HEADERS_LENGTH + vnetLength || snapLength < 0 || frame > blockEnd - snapLength)
            {
                corrupt++;
                framesLeft = 0;
                continue;
            }

            if (--framesLeft > 0)
            {
                final int next = ring.getInt(header + HDR_NEXT_OFFSET_OFFSET);
                if (next <= 0 || next > blockEnd - header)
                {
                    corrupt++;
                    framesLeft = 0;
                }
                else
                {
                    frameOffset = header + next;
                }
            }

            if (skipOutgoing && ring.getByte(header + HDR_SOCKADDR_OFFSET + SLL_PKTTYPE_OFFSET) == PACKET_OUTGOING)
            {
                outgoing++;
            }
            else if (snapLength < wireLength)
            {
                truncated++;
            }
            else
            {
                final long rxNs = clock.toNanoTime(
                    ring.getInt(header + HDR_SEC_OFFSET) & U32_MASK, ring.getInt(header + HDR_NSEC_OFFSET) & U32_MASK);
                sink.onFrame(ring, frame, snapLength, vnetLength == 0 ? -1 : frame - vnetLength, status, rxNs);
                handed++;
                bytes += snapLength;
            }
        }
        if (framesLeft == 0 && blockHeld)
        {
            releaseBlock();
        }

        if (handed > 0)
        {
            counters.add(TransportCounter.RX_FRAMES, handed);
            counters.add(TransportCounter.RX_BYTES, bytes);
        }
        if ((truncated | outgoing | corrupt) != 0)
        {
            statistics.countSkipped(truncated, outgoing, corrupt);
        }
        return handed;
    }

    private boolean acquireBlock()
    {
        final int status = ring.getIntVolatile(blockOffset + BLOCK_STATUS_OFFSET);
        if ((status & TP_STATUS_USER) == 0)
        {
            return false;
        }
        if ((status & TP_STATUS_LOSING) != 0)
        {
            statistics.read();
        }
        blockHeld = true;
        final int frames = ring.getInt(blockOffset + BLOCK_NUM_PKTS_OFFSET);
        final int first = ring.getInt(blockOffset + BLOCK_OFFSET_TO_FIRST_PKT_OFFSET);
        if (frames > 0 && first >= BLOCK_DESC_LENGTH && first <= blockSize - FRAME_HEADERS_LENGTH)
        {
            framesLeft = frames;
            frameOffset = blockOffset + first;
        }
        else
        {
            framesLeft = 0;
            if (frames != 0)
            {
                counters.increment(TransportCounter.RX_RING_CORRUPT);
            }
        }
        return true;
    }

    private void releaseBlock()
    {
        ring.putIntOrdered(blockOffset + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
        blockHeld = false;
        blockIndex = blockIndex + 1 == blockCount ? 0 : blockIndex + 1;
        blockOffset = blockIndex * blockSize;
    }

    @Override
    public void drainStatistics()
    {
        statistics.read();
    }
}
