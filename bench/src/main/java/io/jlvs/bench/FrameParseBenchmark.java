package io.jlvs.bench;

import io.jlvs.dataplane.codec.FrameParser;
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
 * Frame parse and verdict ({@link FrameParser#parse}) of a client's TCP SYN and of an established flow's ACK, both
 * in a cache-hot off-heap slot. Baseline: copying the same frame into a ring slot, which the capture thread does
 * for every frame anyway.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FrameParseBenchmark
{
    private static final int SLOT_BYTES = 128;
    private static final int SYN_OFFSET = 0;
    private static final int ACK_OFFSET = SLOT_BYTES;
    private static final int COPY_OFFSET = 2 * SLOT_BYTES;
    private static final int CACHE_LINE_BYTES = 64;

    private final FrameParser parser = new FrameParser();
    private final UnsafeBuffer slots =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(3 * SLOT_BYTES, CACHE_LINE_BYTES));
    private int synLength;
    private int ackLength;

    @Setup
    public void setUp()
    {
        final byte[] syn = FlowFrames.frame(0, FrameBuilder.SYN);
        final byte[] ack = FlowFrames.frame(0, FrameBuilder.ACK);
        slots.putBytes(SYN_OFFSET, syn);
        slots.putBytes(ACK_OFFSET, ack);
        synLength = syn.length;
        ackLength = ack.length;
        if (parser.parse(slots, SYN_OFFSET, synLength) != FrameParser.IPV4 || parser.tcpFlags() != FrameBuilder.SYN)
        {
            throw new IllegalStateException("the SYN does not parse as an IPv4 TCP SYN");
        }
    }

    @Benchmark
    public void parseSyn(final Blackhole bh)
    {
        // The verdict, and what the forwarding handler reads next: the flow key and the flags.
        bh.consume(parser.parse(slots, SYN_OFFSET, synLength));
        bh.consume(parser.srcPort());
        bh.consume(parser.tcpFlags());
    }

    @Benchmark
    public void parseAck(final Blackhole bh)
    {
        bh.consume(parser.parse(slots, ACK_OFFSET, ackLength));
        bh.consume(parser.srcPort());
        bh.consume(parser.tcpFlags());
    }

    @Benchmark
    public void baselineCopyFrame(final Blackhole bh)
    {
        slots.putBytes(COPY_OFFSET, slots, ACK_OFFSET, ackLength);
        bh.consume(slots);
    }
}
