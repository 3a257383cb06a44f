package io.jlvs.dataplane.forward;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.transport.MemoryTransport;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.fixtures.FrameBuilder;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives a director's forwarding handler on the test thread, one event at a time, as the Disruptor would: no
 * threads, a clock the test moves.
 */
final class ForwardingDriver
{
    static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    static final String DIRECTOR_IP = "198.18.0.2";
    static final String VIP = "198.18.0.100";

    final MemoryTransport transport;
    final Director director;
    private final FrameEvent event = new FrameSlots(1).newInstance();
    private long sequence;
    long nowNs = TimeUnit.SECONDS.toNanos(1000);

    ForwardingDriver(final boolean vnet)
    {
        this(vnet, DirectorOptions.defaults().withRingSize(8).withConnectionCapacity(1024));
    }

    ForwardingDriver(final boolean vnet, final DirectorOptions options)
    {
        transport = MemoryTransport.builder().macAddress(DIRECTOR_MAC).ipv4Address(FrameBuilder.address(DIRECTOR_IP))
            .mtu(1500).vnetHeader(vnet).build();
        director = new Director(transport, options);
    }

    void tick()
    {
        event.set(FrameEvent.KIND_TICK, 0, false, 0, nowNs);
        deliver();
    }

    void advance(final long duration, final TimeUnit unit)
    {
        nowNs += unit.toNanos(duration);
    }

    void frame(final byte[] frame, final int status)
    {
        event.buffer().putBytes(FrameEvent.FRAME_OFFSET, frame);
        event.set(FrameEvent.KIND_FRAME, frame.length, false, status, nowNs);
        deliver();
    }

    void frameWithVnet(final byte[] vnet, final byte[] frame, final int status)
    {
        event.buffer().putBytes(FrameEvent.VNET_OFFSET, vnet, 0, VnetHeader.LENGTH);
        event.buffer().putBytes(FrameEvent.FRAME_OFFSET, frame);
        event.set(FrameEvent.KIND_FRAME, frame.length, true, status, nowNs);
        deliver();
    }

    /** The frames as one batch of the ring: the handler's end-of-batch work (TX flush, counts) happens once, last. */
    void batch(final byte[]... frames)
    {
        final ForwardingHandler handler = director.forwardingHandler();
        handler.onBatchStart(frames.length, 0);
        // A slot each, as in the ring: TX sends the queued frames from their slots at the batch's end.
        final FrameSlots slots = new FrameSlots(frames.length);
        for (int i = 0; i < frames.length; i++)
        {
            final FrameEvent slot = slots.newInstance();
            slot.buffer().putBytes(FrameEvent.FRAME_OFFSET, frames[i]);
            slot.set(FrameEvent.KIND_FRAME, frames[i].length, false, 0, nowNs);
            handler.onEvent(slot, sequence++, i == frames.length - 1);
        }
    }

    private void deliver()
    {
        final ForwardingHandler handler = director.forwardingHandler();
        handler.onBatchStart(1, 0);
        handler.onEvent(event, sequence++, true);
    }

    /** Ticks once so the neighbour cache adopts the wanted servers, then answers each one's ARP probe. */
    void resolve(final long[] macs, final String... addresses)
    {
        tick();
        for (int i = 0; i < addresses.length; i++)
        {
            frame(FrameBuilder.arpReply(macs[i], addresses[i], DIRECTOR_MAC, DIRECTOR_IP), 0);
        }
        // Reachability changes are reported from the neighbour cache's poll, i.e. on the next tick.
        tick();
        transport.clearSent();
    }

    List<byte[]> sent()
    {
        return transport.sent();
    }

    byte[] takeOnlySent()
    {
        final List<byte[]> sent = transport.sent();
        if (sent.size() != 1)
        {
            throw new AssertionError("expected exactly one frame sent, got " + sent.size());
        }
        transport.clearSent();
        return sent.get(0);
    }
}
