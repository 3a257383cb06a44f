package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.concurrent.UnsafeBuffer;

import static io.jlvs.dataplane.transport.afpacket.TpacketV2.FRAME_HEADERS_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.TpacketV2.HDR_LEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV2.HDR_MAC_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV2.HDR_NSEC_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV2.HDR_SEC_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV2.HDR_SNAPLEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV2.HDR_SOCKADDR_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV2.HDR_STATUS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.PACKET_OUTGOING;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.SLL_PKTTYPE_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_KERNEL;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_LOSING;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.TP_STATUS_USER;

/**
 * Reads a TPACKET_V2 RX ring in place: a slot per frame, each handed over by the kernel the moment it is written, so
 * a frame never waits for a block to fill or time out (the latency TPACKET_V3 adds at low rates).
 * <p>
 * A slot belongs to user space once its {@code tp_status} has {@code TP_STATUS_USER} (read with acquire semantics,
 * so the frame written before it is visible); the frame is handed to the sink straight from the slot and the slot is
 * given back with a release store of {@code TP_STATUS_KERNEL} as soon as the sink returns. The kernel fills slots in
 * order, so the reader only ever looks at the next one. No system call is made per frame; {@code PACKET_STATISTICS}
 * is read only when the kernel marks a frame {@code TP_STATUS_LOSING}.
 * <p>
 * Every length read from a slot is checked against the slot before it is used.
 */
final class RxRingV2 implements RxRing
{
    private static final long U32_MASK = 0xFFFF_FFFFL;
    private static final int U16_MASK = 0xFFFF;
    private static final int NO_SLOT = -1;

    private final UnsafeBuffer ring;
    private final int blockSize;
    private final int frameSize;
    private final int framesPerBlock;
    private final int frameCount;
    private final int vnetLength;
    private final boolean skipOutgoing;
    private final TransportCounters counters;
    private final RingStatistics statistics;
    private final RxClock clock;

    private int frameIndex;
    private int slotInBlock;
    private int slotOffset;
    /** A slot handed to a sink that threw: given back at the next call instead of being read again. */
    private int heldSlot = NO_SLOT;

    /**
     * @param ringAddress  start of the mapped ring.
     * @param blockSize    {@code tp_block_size}.
     * @param blockCount   {@code tp_block_nr}.
     * @param frameSize    {@code tp_frame_size}: {@code blockSize / frameSize} slots to a block.
     * @param vnetHeader   frames carry a virtio_net_hdr before {@code tp_mac}.
     * @param skipOutgoing skip frames whose {@code sll_pkttype} is {@code PACKET_OUTGOING}.
     * @param clock        converts the frames' wall-clock receive stamps to the {@code nanoTime} domain.
     */
    RxRingV2(
        final long ringAddress,
        final int blockSize,
        final int blockCount,
        final int frameSize,
        final boolean vnetHeader,
        final boolean skipOutgoing,
        final TransportCounters counters,
        final StatisticsReader statisticsReader,
        final RxClock clock)
    {
        final long ringBytes = (long)blockSize * blockCount;
        if (ringBytes > Integer.MAX_VALUE || frameSize < FRAME_HEADERS_LENGTH || frameSize > blockSize ||
            frameSize % TpacketV3.ALIGNMENT != 0 || blockCount < 1)
        {
            throw new IllegalArgumentException("ring geometry out of range, blockSize=" + blockSize +
                ", blockCount=" + blockCount + ", frameSize=" + frameSize);
        }
        this.ring = new UnsafeBuffer(ringAddress, (int)ringBytes);
        this.blockSize = blockSize;
        this.frameSize = frameSize;
        this.framesPerBlock = blockSize / frameSize;
        this.frameCount = framesPerBlock * blockCount;
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
        final int frameSize = this.frameSize;
        int examined = 0;
        int handed = 0;
        long bytes = 0;
        int truncated = 0;
        int outgoing = 0;
        int corrupt = 0;
        if (heldSlot != NO_SLOT)
        {
            ring.putIntOrdered(heldSlot + HDR_STATUS_OFFSET, TP_STATUS_KERNEL);
            heldSlot = NO_SLOT;
        }
        while (examined < limit)
        {
            final int slot = slotOffset;
            final int status = ring.getIntVolatile(slot + HDR_STATUS_OFFSET);
            if ((status & TP_STATUS_USER) == 0)
            {
                break;
            }
            examined++;
            // The reader moves past the slot before the sink sees it: a sink that throws does not get it again.
            advance();
            if ((status & TP_STATUS_LOSING) != 0)
            {
                statistics.read();
            }

            final int snapLength = ring.getInt(slot + HDR_SNAPLEN_OFFSET);
            final int wireLength = ring.getInt(slot + HDR_LEN_OFFSET);
            final int mac = ring.getShort(slot + HDR_MAC_OFFSET) & U16_MASK;
            if (mac < FRAME_HEADERS_LENGTH + vnetLength || snapLength < 0 || mac > frameSize - snapLength)
            {
                corrupt++;
            }
            else if (skipOutgoing && ring.getByte(slot + HDR_SOCKADDR_OFFSET + SLL_PKTTYPE_OFFSET) == PACKET_OUTGOING)
            {
                outgoing++;
            }
            else if (snapLength < wireLength)
            {
                truncated++;
            }
            else
            {
                final int frame = slot + mac;
                final long rxNs = clock.toNanoTime(
                    ring.getInt(slot + HDR_SEC_OFFSET) & U32_MASK, ring.getInt(slot + HDR_NSEC_OFFSET) & U32_MASK);
                heldSlot = slot;
                sink.onFrame(ring, frame, snapLength, vnetLength == 0 ? -1 : frame - vnetLength, status, rxNs);
                heldSlot = NO_SLOT;
                handed++;
                bytes += snapLength;
            }
            ring.putIntOrdered(slot + HDR_STATUS_OFFSET, TP_STATUS_KERNEL);
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

    private void advance()
    {
        if (++frameIndex == frameCount)
        {
            frameIndex = 0;
            slotInBlock = 0;
            slotOffset = 0;
        }
        else if (++slotInBlock == framesPerBlock)
        {
            // Slots never cross a block: the next block starts at its own boundary, past any slack.
            slotInBlock = 0;
            slotOffset = frameIndex / framesPerBlock * blockSize;
        }
        else
        {
            slotOffset += frameSize;
        }
    }

    @Override
    public void drainStatistics()
    {
        statistics.read();
    }
}
