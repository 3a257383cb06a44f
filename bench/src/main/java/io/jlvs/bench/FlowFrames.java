package io.jlvs.bench;

import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.Ipv4Header;
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
    /** The destination MAC and the first two bytes of the source MAC, as one long. */
    private static final int MAC_WORD_OFFSET = EthernetHeader.DST_MAC_OFFSET;
    /** The last four bytes of the source MAC. */
    private static final int MAC_TAIL_OFFSET = MAC_WORD_OFFSET + Long.BYTES;
    /** TTL, protocol and header checksum: the IPv4 header word that forwarding rewrites (TTL decrement). */
    private static final int TTL_WORD_OFFSET = EthernetHeader.LENGTH + Ipv4Header.TTL_OFFSET;

    private final UnsafeBuffer memory;
    private final int flows;
    private final int frameLength;
    private final long macWord;
    private final int macTail;
    /** Each flow's TTL word as built (the checksum differs per client address). */
    private final int[] ttlWords;

    /** Builds every flow's frame with {@code tcpFlags} (checksums correct, as a client sends it). */
    FlowFrames(final int flows, final int tcpFlags)
    {
        if (flows < 1 || flows > Integer.MAX_VALUE / SLOT_BYTES)
        {
            throw new IllegalArgumentException("flows must be 1.." + Integer.MAX_VALUE / SLOT_BYTES + ", flows=" + flows);
        }
        this.flows = flows;
        this.memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(flows * SLOT_BYTES, CACHE_LINE_BYTES));
        this.ttlWords = new int[flows];
        int length = 0;
        for (int flow = 0; flow < flows; flow++)
        {
            final byte[] frame = frame(flow, tcpFlags);
            memory.putBytes(frameOffset(flow), frame);
            ttlWords[flow] = memory.getInt(frameOffset(flow) + TTL_WORD_OFFSET);
            length = frame.length;
        }
        this.frameLength = length;
        // Every flow's frame has the same MACs: client to director.
        this.macWord = memory.getLong(frameOffset(0) + MAC_WORD_OFFSET);
        this.macTail = memory.getInt(frameOffset(0) + MAC_TAIL_OFFSET);
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
     * Puts back what forwarding changed in flow {@code flow}'s frame in place (both MACs, the TTL and the header
     * checksum; three stores), so that a replayed frame arrives as the client sent it: it would otherwise come
     * "from" the director and age by one TTL per pass until it is dropped as expired.
     */
    void restore(final int flow)
    {
        final int offset = frameOffset(flow);
        memory.putLong(offset + MAC_WORD_OFFSET, macWord);
        memory.putInt(offset + MAC_TAIL_OFFSET, macTail);
        memory.putInt(offset + TTL_WORD_OFFSET, ttlWords[flow]);
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
