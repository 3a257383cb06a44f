package io.jlvs.bench;

import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.scheduler.Ipv4;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Prepared client frames of many TCP flows to the benchmark VIP, one frame per flow in one off-heap block, each in a
 * {@link #SLOT_BYTES} slot laid out like a ring slot ({@link FrameEvent#FRAME_OFFSET} of headroom, then the frame):
 * the stand-in for a capture ring full of traffic from many clients. Flow {@code i} is client
 * {@link #clientAddress(int)}:{@link #clientPort(int)}.
 */
final class FlowFrames
{
    /** Headroom plus a minimum-size TCP frame (54 bytes), rounded to cache lines. */
    static final int SLOT_BYTES = 128;
    /** Clients live in 198.18.64.0/18: inside RFC 2544's range, apart from the director and servers. */
    static final int CLIENT_NET = FrameBuilder.address("198.18.64.0");
    static final int FIRST_PORT = 1024;
    /** Ports used per client address; flows beyond it move on to the next address. */
    static final int PORTS_PER_CLIENT = 1 << 14;
    private static final int CACHE_LINE_BYTES = 64;

    private final UnsafeBuffer memory;
    private final int flows;
    private final int frameLength;

    /** Builds every flow's frame with {@code tcpFlags} (checksums correct, as a client sends it). */
    FlowFrames(final int flows, final int tcpFlags)
    {
        if (flows < 1 || flows > Integer.MAX_VALUE / SLOT_BYTES)
        {
            throw new IllegalArgumentException("flows must be 1.." + Integer.MAX_VALUE / SLOT_BYTES + ", flows=" + flows);
        }
        this.flows = flows;
        this.memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(flows * SLOT_BYTES, CACHE_LINE_BYTES));
        int length = 0;
        for (int flow = 0; flow < flows; flow++)
        {
            final byte[] frame = frame(flow, tcpFlags);
            memory.putBytes(frameOffset(flow), frame);
            length = frame.length;
        }
        this.frameLength = length;
    }

    static int clientAddress(final int flow)
    {
        return CLIENT_NET + flow / PORTS_PER_CLIENT;
    }

    static int clientPort(final int flow)
    {
        return FIRST_PORT + flow % PORTS_PER_CLIENT;
    }

    /** Flow {@code flow}'s frame with {@code tcpFlags}, from the client to the VIP, addressed to the director. */
    static byte[] frame(final int flow, final int tcpFlags)
    {
        return FrameBuilder.tcp()
            .dstMac(BenchDirector.DIRECTOR_MAC)
            .srcMac(BenchDirector.CLIENT_MAC)
            .src(Ipv4.toString(clientAddress(flow)), clientPort(flow))
            .dst(BenchDirector.VIP_TEXT, BenchDirector.VIRTUAL_PORT)
            .flags(tcpFlags)
            .build();
    }

    int flows()
    {
        return flows;
    }

    int frameLength()
    {
        return frameLength;
    }

    UnsafeBuffer memory()
    {
        return memory;
    }

    /** Offset of flow {@code flow}'s Ethernet header in {@link #memory()}. */
    int frameOffset(final int flow)
    {
        return flow * SLOT_BYTES + FrameEvent.FRAME_OFFSET;
    }

    /**
     * Makes {@code event} carry flow {@code flow}'s frame in place: its slot buffer is re-pointed at the flow's slot
     * (a few field stores, no copy). It stands in for a ring with one prepared slot per flow, which at
     * {@link FrameEvent#SLOT_LENGTH} bytes a slot would take 4 GiB for 64k flows.
     */
    void point(final FrameEvent event, final int flow)
    {
        event.buffer().wrap(memory.addressOffset() + (long)flow * SLOT_BYTES, SLOT_BYTES);
    }
}
