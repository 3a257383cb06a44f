package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_DESC_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_NUM_PKTS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_OFFSET_TO_FIRST_PKT_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.BLOCK_STATUS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.FRAME_HEADERS_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_LEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_MAC_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_NEXT_OFFSET_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_SNAPLEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_SOCKADDR_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.HDR_STATUS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.PACKET_OUTGOING;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.SLL_PKTTYPE_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.STATS_DROPS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.STATS_FREEZE_Q_CNT_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.STATS_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_KERNEL;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_LOSING;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_USER;

/**
 * Reads a TPACKET_V3 RX ring in place: the one class that knows where in the ring the reader is.
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
final class RxRing
{
    private static final long U32_MASK = 0xFFFF_FFFFL;
    private static final int U16_MASK = 0xFFFF;
    /** The statistics scratch: a tpacket_stats_v3, then the socklen_t getsockopt reads and writes its size in. */
    private static final int STATS_LENGTH_SLOT = 16;
    private static final int STATS_SCRATCH_BYTES = 64;
    private static final int CACHE_LINE_BYTES = 64;

    private final UnsafeBuffer ring;
    private final int blockSize;
    private final int blockCount;
    private final int vnetLength;
    private final boolean skipOutgoing;
    private final TransportCounters counters;
    private final StatisticsReader statisticsReader;
    private final UnsafeBuffer statistics;

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
     */
    RxRing(
        final long ringAddress,
        final int blockSize,
        final int blockCount,
        final boolean vnetHeader,
        final boolean skipOutgoing,
        final TransportCounters counters,
        final StatisticsReader statisticsReader)
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
        this.statisticsReader = statisticsReader;
        this.statistics = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(STATS_SCRATCH_BYTES, CACHE_LINE_BYTES));
    }

    /**
     * Hands up to {@code limit} frames to {@code sink}; {@code limit} bounds the frames examined, including skipped
     * ones, so one call's work is bounded whatever the ring holds.
     *
     * @return the frames handed to the sink.
     */
    int receive(final FrameSink sink, final int limit)
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
                sink.onFrame(ring, frame, snapLength, vnetLength == 0 ? -1 : frame - vnetLength, status);
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
            countSkipped(truncated, outgoing, corrupt);
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
            readKernelStatistics();
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

    private void readKernelStatistics()
    {
        statistics.putInt(STATS_LENGTH_SLOT, STATS_LENGTH);
        final long address = statistics.addressOffset();
        if (statisticsReader.readStatistics(address, address + STATS_LENGTH_SLOT) == 0)
        {
            final long drops = statistics.getInt(STATS_DROPS_OFFSET) & U32_MASK;
            final long freezes = statistics.getInt(STATS_FREEZE_Q_CNT_OFFSET) & U32_MASK;
            if (drops != 0)
            {
                counters.add(TransportCounter.RX_KERNEL_DROPS, drops);
            }
            if (freezes != 0)
            {
                counters.add(TransportCounter.RX_KERNEL_FREEZES, freezes);
            }
        }
    }

    private void countSkipped(final int truncated, final int outgoing, final int corrupt)
    {
        if (truncated != 0)
        {
            counters.add(TransportCounter.RX_TRUNCATED, truncated);
        }
        if (outgoing != 0)
        {
            counters.add(TransportCounter.RX_OUTGOING_SKIPPED, outgoing);
        }
        if (corrupt != 0)
        {
            counters.add(TransportCounter.RX_RING_CORRUPT, corrupt);
        }
    }

    /** Reads the kernel's drop statistics now (at close, so that the last drops are counted); RX thread only. */
    void drainStatistics()
    {
        readKernelStatistics();
    }
}
