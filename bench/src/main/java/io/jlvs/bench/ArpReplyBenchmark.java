package io.jlvs.bench;

import io.jlvs.arp.ArpResponder;
import io.jlvs.arp.NeighbourTable;
import io.jlvs.arp.NeighbourTimers;
import io.jlvs.fixtures.FrameBuilder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * {@link ArpResponder#onArpFrame} answering a client's broadcast who-has for one of 16 VIPs: validation, the
 * conflict check, offering the sender to the neighbour cache (a client, so not learnt) and writing the reply into
 * a scratch slot. Baseline: copying the 60-byte request into that slot.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ArpReplyBenchmark
{
    private static final int VIPS = 16;
    /** Real servers the neighbour cache wants resolved; the requesting client is none of them. */
    private static final int SERVERS = 8;
    private static final int SLOT_BYTES = 128;
    private static final int REQUEST_OFFSET = 0;
    private static final int REPLY_OFFSET = SLOT_BYTES;
    private static final int CACHE_LINE_BYTES = 64;
    private static final String CLIENT_IP = "198.18.64.1";

    private final UnsafeBuffer slots =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(2 * SLOT_BYTES, CACHE_LINE_BYTES));
    private ArpResponder responder;
    private int requestLength;

    @Setup
    public void setUp()
    {
        final NeighbourTable neighbours = new NeighbourTable(NeighbourTimers.DEFAULT);
        final int[] servers = new int[SERVERS];
        for (int i = 0; i < servers.length; i++)
        {
            servers[i] = BenchDirector.FIRST_SERVER + i;
        }
        neighbours.wanted(servers);
        responder = new ArpResponder(BenchDirector.DIRECTOR_MAC, neighbours);
        final int[] vips = new int[VIPS];
        for (int i = 0; i < VIPS; i++)
        {
            vips[i] = BenchDirector.VIP + i;
        }
        responder.virtualAddresses(vips);
        final byte[] request = FrameBuilder.arpRequest(BenchDirector.CLIENT_MAC, CLIENT_IP, BenchDirector.VIP_TEXT);
        slots.putBytes(REQUEST_OFFSET, request);
        requestLength = request.length;
        if (answer() <= 0)
        {
            throw new IllegalStateException("the request for the VIP was not answered");
        }
    }

    private int answer()
    {
        return responder.onArpFrame(slots, REQUEST_OFFSET, requestLength, slots, REPLY_OFFSET, BenchDirector.START_NS);
    }

    @Benchmark
    public void reply(final Blackhole bh)
    {
        bh.consume(answer());
    }

    @Benchmark
    public void baselineCopyFrame(final Blackhole bh)
    {
        slots.putBytes(REPLY_OFFSET, slots, REQUEST_OFFSET, requestLength);
        bh.consume(slots);
    }
}
