package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.TransportCounters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.jlvs.dataplane.transport.afpacket.TpacketV3.STATS_DROPS_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.STATS_FREEZE_Q_CNT_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.STATS_LENGTH;

/**
 * Counts what a ring reader loses: the frames it skipped, and the kernel's RX drop counts ({@code PACKET_STATISTICS}, which resets them) into the transport's counters. A
 * ring reader calls it when the kernel marks a block or frame {@code TP_STATUS_LOSING}, and once at close. The
 * kernel writes a {@code tpacket_stats_v3} for V3 rings and the shorter {@code tpacket_stats} (no freeze count) for
 * V2; the scratch is cleared first, so the missing field reads 0.
 */
final class RingStatistics
{
    private static final long U32_MASK = 0xFFFF_FFFFL;
    /** The scratch: a tpacket_stats_v3, then the socklen_t getsockopt reads and writes its size in. */
    private static final int STATS_LENGTH_SLOT = 16;
    private static final int STATS_SCRATCH_BYTES = 64;
    private static final int CACHE_LINE_BYTES = 64;

    private final StatisticsReader reader;
    private final TransportCounters counters;
    private final UnsafeBuffer scratch;

    RingStatistics(final StatisticsReader reader, final TransportCounters counters)
    {
        this.reader = reader;
        this.counters = counters;
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(STATS_SCRATCH_BYTES, CACHE_LINE_BYTES));
    }

    /** Adds the drops (and freezes) the kernel counted since the last read to the transport's counters. */
    void read()
    {
        scratch.setMemory(0, STATS_LENGTH, (byte)0);
        scratch.putInt(STATS_LENGTH_SLOT, STATS_LENGTH);
        final long address = scratch.addressOffset();
        if (reader.readStatistics(address, address + STATS_LENGTH_SLOT) == 0)
        {
            final long drops = scratch.getInt(STATS_DROPS_OFFSET) & U32_MASK;
            final long freezes = scratch.getInt(STATS_FREEZE_Q_CNT_OFFSET) & U32_MASK;
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

    /** Counts the frames a {@code receive} call skipped: truncated by the slot, this host's own, or unreadable. */
    void countSkipped(final int truncated, final int outgoing, final int corrupt)
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
}
