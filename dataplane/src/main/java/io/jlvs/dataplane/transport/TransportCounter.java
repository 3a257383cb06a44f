package io.jlvs.dataplane.transport;

/**
 * The counters of a {@link PacketTransport}, each with a stable id and the label the listing prints. RX counters are
 * written only by the capture thread, TX counters only by the forwarding thread.
 */
public enum TransportCounter
{
    /** Frames handed to the sink. */
    RX_FRAMES(0, "rxFrames", true),
    /** Bytes of the frames handed to the sink (Ethernet frame, without the virtio_net_hdr). */
    RX_BYTES(1, "rxBytes", true),
    /** Frames the kernel dropped because the ring was full ({@code PACKET_STATISTICS} tp_drops). */
    RX_KERNEL_DROPS(2, "rxKernelDrops", true),
    /** Times the kernel froze the ring because user space did not hand blocks back ({@code tp_freeze_q_cnt}). */
    RX_KERNEL_FREEZES(3, "rxKernelFreezes", true),
    /** Frames dropped because the ring held only part of them ({@code tp_snaplen < tp_len}). */
    RX_TRUNCATED(4, "rxTruncated", true),
    /** Frames this host transmitted that the socket saw anyway and skipped (kernels without PACKET_IGNORE_OUTGOING). */
    RX_OUTGOING_SKIPPED(5, "rxOutgoingSkipped", true),
    /** Ring blocks abandoned because a descriptor pointed outside the block (never expected from a sane kernel). */
    RX_RING_CORRUPT(6, "rxRingCorrupt", true),
    /** Frames the kernel accepted for transmission. */
    TX_FRAMES(7, "txFrames", false),
    /** Bytes of the frames the kernel accepted (without the virtio_net_hdr). */
    TX_BYTES(8, "txBytes", false),
    /** Frames the kernel refused one by one (malformed, too big without GSO, interface down...); see txLastErrno. */
    TX_ERRORS(9, "txErrors", false),
    /**
     * queue() calls refused because the batch was full. A caller that flushes and queues the frame again (as the
     * forwarding handler does) loses nothing, so this counts batch overflows; the caller counts the frames it drops.
     */
    TX_DROPPED_BATCH_FULL(10, "txRefusedBatchFull", false),
    /** Frames dropped because the socket's send buffer stayed full (EAGAIN/ENOBUFS) after one retry. */
    TX_DROPPED_NO_BUFFER(11, "txDroppedNoBuffer", false),
    /** Flushes that needed more than one kernel call (a partial send, EAGAIN or EINTR). */
    TX_RETRIES(12, "txRetries", false);

    private static final TransportCounter[] BY_ID = values();

    private final int id;
    private final String label;
    private final boolean receiveSide;

    TransportCounter(final int id, final String label, final boolean receiveSide)
    {
        this.id = id;
        this.label = label;
        this.receiveSide = receiveSide;
    }

    /** Stable id: the counter's index in {@link #values()}. */
    public int id()
    {
        return id;
    }

    /** The name the listing prints. */
    public String label()
    {
        return label;
    }

    /** True for counters written by the capture (RX) thread, false for the forwarding (TX) thread's. */
    public boolean receiveSide()
    {
        return receiveSide;
    }

    /** The counter with {@code id}. */
    public static TransportCounter ofId(final int id)
    {
        return BY_ID[id];
    }

    /** How many counters there are. */
    public static int count()
    {
        return BY_ID.length;
    }
}
