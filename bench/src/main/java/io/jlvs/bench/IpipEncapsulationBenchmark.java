package io.jlvs.bench;

import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.IpipEncapsulation;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.fixtures.FrameBuilder;
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
 * IPIP encapsulation for the TUN method ({@link IpipEncapsulation#encapsulate}) of a client's ACK in a ring slot:
 * inner TTL decrement and checksum patch, MTU check, outer IPv4 header and new Ethernet header written in the
 * headroom. Encapsulating changes the frame's first 34 bytes (Ethernet header, inner TTL and checksum), so each
 * invocation first puts them back from a pristine copy. Baseline: that restore alone, so the encapsulation's cost
 * is the difference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class IpipEncapsulationBenchmark
{
    /** The bytes encapsulation rewrites: the Ethernet header and the inner IPv4 header (TTL, checksum). */
    private static final int HEADER_BYTES = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
    private static final int EGRESS_MTU = 1500;
    private static final int ID_SEED = 1;

    private final IpipEncapsulation encapsulation = new IpipEncapsulation(ID_SEED);
    private final UnsafeBuffer slot = new FrameSlots(1).newInstance().buffer();
    private final UnsafeBuffer pristine = new UnsafeBuffer(new byte[HEADER_BYTES]);
    private final int directorAddress = FrameBuilder.address(BenchDirector.DIRECTOR_IP_TEXT);
    private int frameLength;

    @Setup
    public void setUp()
    {
        final byte[] frame = FlowFrames.frame(0, FrameBuilder.ACK);
        slot.putBytes(FrameEvent.FRAME_OFFSET, frame);
        pristine.putBytes(0, frame, 0, HEADER_BYTES);
        frameLength = frame.length;
        if (encapsulate() != IpipEncapsulation.ENCAPSULATED ||
            encapsulation.frameLength() != frameLength + IpipEncapsulation.OUTER_HEADER_LENGTH)
        {
            throw new IllegalStateException("the ACK was not encapsulated");
        }
    }

    private void restore()
    {
        slot.putBytes(FrameEvent.FRAME_OFFSET, pristine, 0, HEADER_BYTES);
    }

    private int encapsulate()
    {
        restore();
        return encapsulation.encapsulate(slot, FrameEvent.FRAME_OFFSET, frameLength, directorAddress,
            BenchDirector.FIRST_SERVER, BenchDirector.FIRST_SERVER_MAC, BenchDirector.DIRECTOR_MAC, EGRESS_MTU);
    }

    @Benchmark
    public void encapsulateAck(final Blackhole bh)
    {
        bh.consume(encapsulate());
    }

    @Benchmark
    public void baselineRestoreHeaders(final Blackhole bh)
    {
        restore();
        bh.consume(slot);
    }
}
