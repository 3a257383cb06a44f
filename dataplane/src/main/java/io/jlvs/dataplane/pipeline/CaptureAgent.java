package io.jlvs.dataplane.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * The capture thread's duty cycle: read the clock once, take as many frames from the transport as the ring has
 * room for, copy each into its preallocated slot and publish them together (one release store, and at most one
 * wake-up of a blocked forwarding thread, per batch); and every tick interval publish a tick so that
 * the forwarding thread does its housekeeping even when no frame arrives. It never blocks on a full ring: it takes
 * fewer frames and the kernel ring absorbs (or drops and counts) the rest.
 */
public final class CaptureAgent implements Agent, FrameSink
{
    /** One slot is always kept free for the next tick, so housekeeping is never starved by a flood. */
    private static final int TICK_RESERVE = 1;
    private static final long NOT_CLAIMED = -1;

    private final PacketTransport transport;
    private final RingBuffer<FrameEvent> ring;
    private final Counters counters;
    private final NanoClock clock;
    private final int batchLimit;
    private final long tickIntervalNs;
    private long nowNs;
    private long lastTickNs;
    /** The slots claimed during one receive call, published together after it: one release and one wake-up. */
    private long firstClaimed = NOT_CLAIMED;
    private long lastClaimed = NOT_CLAIMED;

    public CaptureAgent(
        final PacketTransport transport,
        final RingBuffer<FrameEvent> ring,
        final Counters counters,
        final NanoClock clock,
        final int batchLimit,
        final long tickIntervalNs)
    {
        this.transport = transport;
        this.ring = ring;
        this.counters = counters;
        this.clock = clock;
        this.batchLimit = batchLimit;
        this.tickIntervalNs = tickIntervalNs;
        this.lastTickNs = clock.nanoTime() - tickIntervalNs;
    }

    @Override
    public int doWork()
    {
        nowNs = clock.nanoTime();
        int work = 0;
        final long room = ring.remainingCapacity() - TICK_RESERVE;
        if (room > 0)
        {
            work = transport.receive(this, (int)Math.min(room, batchLimit));
            publishClaimed();
        }
        if (nowNs - lastTickNs >= tickIntervalNs && ring.remainingCapacity() > 0)
        {
            final long sequence = ring.next();
            final FrameEvent event = ring.get(sequence);
            event.kind = FrameEvent.KIND_TICK;
            event.frameLength = 0;
            event.nowNs = nowNs;
            event.rxNs = nowNs;
            ring.publish(sequence);
            lastTickNs = nowNs;
            work++;
        }
        return work;
    }

    /**
     * Publishes the slots {@link #onFrame} filled since the last call, in one go; {@link #doWork} calls it after each
     * receive. A caller that hands frames to {@link #onFrame} itself (a benchmark) calls it to make them visible.
     */
    public void publishClaimed()
    {
        if (firstClaimed != NOT_CLAIMED)
        {
            ring.publish(firstClaimed, lastClaimed);
            firstClaimed = NOT_CLAIMED;
        }
    }

    /** Copies a received frame into the next slot; it is published with the rest of its batch. */
    @Override
    public void onFrame(
        final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset, final int status, final long rxNs)
    {
        counters.increment(Counter.RX_FRAMES);
        counters.add(Counter.RX_BYTES, frameLength);
        if (frameLength > FrameEvent.MAX_FRAME_LENGTH)
        {
            counters.increment(Counter.DROP_RX_TOO_BIG);
            return;
        }
        final long sequence = ring.next();
        if (firstClaimed == NOT_CLAIMED)
        {
            firstClaimed = sequence;
        }
        lastClaimed = sequence;
        final FrameEvent event = ring.get(sequence);
        event.kind = FrameEvent.KIND_FRAME;
        event.frameLength = frameLength;
        event.status = status;
        event.nowNs = nowNs;
        event.rxNs = rxNs == NO_RX_TIMESTAMP ? nowNs : rxNs;
        event.vnet = vnetOffset >= 0;
        if (event.vnet)
        {
            event.buffer.putBytes(FrameEvent.VNET_OFFSET, buffer, vnetOffset, FrameEvent.FRAME_OFFSET - FrameEvent.VNET_OFFSET);
        }
        event.buffer.putBytes(FrameEvent.FRAME_OFFSET, buffer, frameOffset, frameLength);
    }

    @Override
    public String roleName()
    {
        return "jlvs-capture-" + transport.interfaceName();
    }
}
