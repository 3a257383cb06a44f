package io.jlvs.dataplane.forward;

import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where the forwarding thread's frames leave: the director interface's transport (and, for Local servers, the
 * transport into the host's own stack), batched until {@link #flush()}; plus preallocated room for the frames the
 * thread writes itself (ARP, ICMP) and for the segments and fragments it cuts. Frames are queued where they lie,
 * so every memory queued stays untouched until the flush.
 */
final class TxQueue
{
    /** Room in front of each cut segment: an outer IPv4 header (20) and a virtio-net header (10), aligned. */
    static final int SEGMENT_HEADROOM = 64;
    /** ARP and ICMP frames plus a virtio-net header fit here. */
    private static final int SCRATCH_SLOT_LENGTH = 192;
    private static final int ALIGNMENT = 64;
    private static final int VNET_FLAGS_KEPT_ON_TX = VnetHeader.F_NEEDS_CSUM;

    private final PacketTransport transport;
    private final Counters counters;
    private final boolean vnet;
    private final UnsafeBuffer scratch;
    private final int scratchSlots;
    private final UnsafeBuffer segments;
    private final int segmentSlotLength;
    private final int segmentSlots;
    private final Runnable afterFlush;
    private int scratchUsed;
    private int segmentsUsed;
    private int queued;
    private PacketTransport local;
    private int localQueued;
    private int flushedEarly;

    /**
     * @param segmentSlots how many cut segments/fragments one batch can hold before it must flush.
     * @param afterFlush   what to do once queued memory is free again (e.g. recycle held fragments).
     */
    TxQueue(
        final PacketTransport transport, final Counters counters, final int scratchSlots, final int segmentSlots,
        final Runnable afterFlush)
    {
        this.transport = transport;
        this.counters = counters;
        this.vnet = transport.vnetHeader();
        this.scratchSlots = scratchSlots;
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(scratchSlots * SCRATCH_SLOT_LENGTH, ALIGNMENT));
        // A segment is at most an MTU-sized IP packet with its Ethernet header, behind the headroom.
        this.segmentSlotLength = align(SEGMENT_HEADROOM + 14 + transport.mtu());
        this.segmentSlots = segmentSlots;
        this.segments = new UnsafeBuffer(BufferUtil.allocateDirectAligned(segmentSlots * segmentSlotLength, ALIGNMENT));
        this.afterFlush = afterFlush;
    }

    private static int align(final int length)
    {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** Whether queued frames carry a virtio-net header in front. */
    boolean vnet()
    {
        return vnet;
    }

    /**
     * Queues the frame at {@code frameOffset}; when the transport wants virtio-net headers the 10 bytes in front of
     * the frame become one (kept from receive when {@code hasVnet}, else zeroed). Counts the frame as forwarded.
     */
    boolean queueFrame(
        final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final boolean hasVnet)
    {
        final boolean ok;
        if (vnet)
        {
            prepareVnetHeader(buffer, frameOffset - VnetHeader.LENGTH, hasVnet);
            ok = queue(buffer.addressOffset() + frameOffset - VnetHeader.LENGTH, VnetHeader.LENGTH + frameLength);
        }
        else
        {
            ok = queue(buffer.addressOffset() + frameOffset, frameLength);
        }
        if (ok)
        {
            counters.increment(Counter.FORWARDED);
            counters.add(Counter.FORWARDED_BYTES, frameLength);
        }
        return ok;
    }

    /** As {@link #queueFrame} on the transport into the host's own stack. */
    boolean queueLocal(
        final PacketTransport localTransport, final UnsafeBuffer buffer, final int frameOffset, final int frameLength,
        final boolean hasVnet)
    {
        if (local != localTransport)
        {
            flushedEarly += flushLocal();
            local = localTransport;
        }
        final boolean localVnet = localTransport.vnetHeader();
        if (localVnet)
        {
            prepareVnetHeader(buffer, frameOffset - VnetHeader.LENGTH, hasVnet);
        }
        final long address = buffer.addressOffset() + frameOffset - (localVnet ? VnetHeader.LENGTH : 0);
        final int length = frameLength + (localVnet ? VnetHeader.LENGTH : 0);
        if (!localTransport.queue(address, length))
        {
            flushedEarly += flushLocal();
            if (!localTransport.queue(address, length))
            {
                counters.increment(Counter.DROP_TX_FULL);
                return false;
            }
        }
        localQueued++;
        counters.increment(Counter.DELIVERED_LOCALLY);
        return true;
    }

    /** Makes the virtio-net header at {@code vnetOffset} fit for TX. */
    private static void prepareVnetHeader(final MutableDirectBuffer buffer, final int vnetOffset, final boolean keep)
    {
        if (keep)
        {
            // DATA_VALID describes what the receiving side verified; it has no meaning on transmit.
            final int flagsOffset = vnetOffset + VnetHeader.FLAGS_OFFSET;
            buffer.putByte(flagsOffset, (byte)(buffer.getByte(flagsOffset) & VNET_FLAGS_KEPT_ON_TX));
        }
        else
        {
            buffer.setMemory(vnetOffset, VnetHeader.LENGTH, (byte)0);
        }
    }

    private boolean queue(final long address, final int length)
    {
        if (transport.queue(address, length))
        {
            queued++;
            return true;
        }
        flushedEarly += flushTransport();
        if (transport.queue(address, length))
        {
            queued++;
            return true;
        }
        counters.increment(Counter.DROP_TX_FULL);
        return false;
    }

    UnsafeBuffer scratch()
    {
        return scratch;
    }

    /** A zeroed scratch slot; returns the offset where its frame starts (after room for a virtio-net header). */
    int claimScratch()
    {
        if (scratchUsed == scratchSlots)
        {
            flush();
        }
        final int slot = scratchUsed++ * SCRATCH_SLOT_LENGTH;
        scratch.setMemory(slot, SCRATCH_SLOT_LENGTH, (byte)0);
        return slot + VnetHeader.LENGTH;
    }

    /** Room a scratch frame may take. */
    int scratchCapacity()
    {
        return SCRATCH_SLOT_LENGTH - VnetHeader.LENGTH;
    }

    /** Queues a frame written at a claimed scratch offset (its zeroed virtio-net header is in front). */
    boolean queueScratch(final int frameOffset, final int frameLength)
    {
        return vnet ? queue(scratch.addressOffset() + frameOffset - VnetHeader.LENGTH, VnetHeader.LENGTH + frameLength) :
            queue(scratch.addressOffset() + frameOffset, frameLength);
    }

    UnsafeBuffer segments()
    {
        return segments;
    }

    /** A segment slot; returns the offset where a frame cut into it starts, behind {@link #SEGMENT_HEADROOM}. */
    int claimSegment()
    {
        if (segmentsUsed == segmentSlots)
        {
            flush();
        }
        return segmentsUsed++ * segmentSlotLength + SEGMENT_HEADROOM;
    }

    /** Room a cut segment may take. */
    int segmentCapacity()
    {
        return segmentSlotLength - SEGMENT_HEADROOM;
    }

    private int flushTransport()
    {
        final int frames = queued;
        if (frames > 0)
        {
            queued = 0;
            transport.flush();
            counters.increment(Counter.TX_FLUSHES);
        }
        return frames;
    }

    private int flushLocal()
    {
        final int frames = localQueued;
        if (frames > 0 && local != null)
        {
            localQueued = 0;
            local.flush();
        }
        return frames;
    }

    /**
     * Sends everything queued; afterwards every scratch and segment slot may be reused.
     *
     * @return how many frames this flush sent (since the last one, including any flushed early for room).
     */
    int flush()
    {
        final int frames = flushTransport() + flushLocal() + flushedEarly;
        flushedEarly = 0;
        scratchUsed = 0;
        segmentsUsed = 0;
        afterFlush.run();
        return frames;
    }
}
