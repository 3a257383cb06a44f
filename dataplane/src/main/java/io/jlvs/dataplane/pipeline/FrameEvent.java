package io.jlvs.dataplane.pipeline;

import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One preallocated slot of the Disruptor ring: a copy of a received frame (with its virtio-net header when the
 * transport has one), or a tick that gives the forwarding thread its housekeeping turn. Reused for ever, never
 * allocated per frame.
 * <p>
 * Slot layout: {@code [headroom ... | virtio_net_hdr (10) | Ethernet frame ...]}. The frame always starts at
 * {@link #FRAME_OFFSET}, so that headers can be written in front of it (an outer IP header for TUN) and the virtio
 * header sits right before it: queuing {@code [vnet | frame]} for TX is then one contiguous range.
 */
public final class FrameEvent
{
    public static final int KIND_FRAME = 0;
    public static final int KIND_TICK = 1;

    /** Room in front of the frame: a virtio-net header now, plus an outer Ethernet+IP header for IPIP later. */
    public static final int HEADROOM = 64;
    public static final int FRAME_OFFSET = HEADROOM;
    public static final int VNET_OFFSET = FRAME_OFFSET - VnetHeader.LENGTH;
    /** The largest frame a slot holds: a 64 KiB GSO super-frame plus its Ethernet and VLAN headers. */
    public static final int MAX_FRAME_LENGTH = 65_536 + 32;
    public static final int SLOT_LENGTH = HEADROOM + MAX_FRAME_LENGTH;

    final UnsafeBuffer buffer;
    int kind;
    int frameLength;
    boolean vnet;
    int status;
    long nowNs;
    long rxNs;

    FrameEvent(final UnsafeBuffer slot)
    {
        this.buffer = slot;
    }

    /** The slot: the frame is at {@link #FRAME_OFFSET}, {@link #frameLength()} bytes. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int kind()
    {
        return kind;
    }

    public int frameLength()
    {
        return frameLength;
    }

    /** The frame carries a virtio-net header at {@link #VNET_OFFSET}. */
    public boolean hasVnetHeader()
    {
        return vnet;
    }

    /** The transport's status bits for this frame (TransportStatus). */
    public int status()
    {
        return status;
    }

    /** The capture thread's clock when it took this frame, one read per duty cycle. */
    public long nowNs()
    {
        return nowNs;
    }

    /**
     * When the kernel received the frame (its RX ring timestamp, in the {@link System#nanoTime()} domain), or
     * {@link #nowNs()} when the transport has none: where the director's latency is measured from.
     */
    public long rxNs()
    {
        return rxNs;
    }

    /** Test and benchmark support: fills the slot as the capture thread would, received at {@code nowNs}. */
    public void set(final int kind, final int frameLength, final boolean vnet, final int status, final long nowNs)
    {
        set(kind, frameLength, vnet, status, nowNs, nowNs);
    }

    /** Fills the slot (a worker handing a frame to another keeps its receive time). */
    public void set(
        final int kind, final int frameLength, final boolean vnet, final int status, final long nowNs, final long rxNs)
    {
        this.kind = kind;
        this.frameLength = frameLength;
        this.vnet = vnet;
        this.status = status;
        this.nowNs = nowNs;
        this.rxNs = rxNs;
    }
}
