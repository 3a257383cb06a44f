package io.jlvs.bench;

import io.jlvs.dataplane.codec.Checksums;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.fixtures.FrameBuilder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Checksum completion ({@link Checksums#completePartial}) of a TCP frame that veth handed over with a partial
 * checksum (only the pseudo-header sum in the field), for 64-byte and 1500-byte frames; each invocation first puts
 * the pseudo-header sum back, so every call completes a fresh partial checksum. Baseline: the same sum over the
 * same bytes with a plain loop, two bytes at a time from a {@code byte[]}, the textbook RFC 1071 code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ChecksumBenchmark
{
    private static final int HEADERS_BYTES = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH;
    private static final int L4_OFFSET = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
    private static final int FIELD_OFFSET = L4_OFFSET + TcpHeader.CHECKSUM_OFFSET;
    private static final int CACHE_LINE_BYTES = 64;
    private static final int WORD_MASK = 0xFFFF;
    private static final int BYTE_MASK = 0xFF;
    private static final int BITS_PER_BYTE = 8;

    /** Ethernet frame length, headers included. */
    @Param({"64", "1500"})
    int frameLength;

    private UnsafeBuffer frame;
    private byte[] bytes;
    private short pseudoHeaderSum;

    @Setup
    public void setUp()
    {
        final byte[] built = FrameBuilder.tcp().payloadLength(frameLength - HEADERS_BYTES).partialChecksum().build();
        frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(built.length, CACHE_LINE_BYTES));
        frame.putBytes(0, built);
        bytes = built.clone();
        pseudoHeaderSum = frame.getShort(FIELD_OFFSET, ByteOrder.BIG_ENDIAN);

        complete();
        final byte[] completed = new byte[built.length];
        frame.getBytes(0, completed);
        if (!FrameBuilder.transportChecksumValid(completed))
        {
            throw new IllegalStateException("completePartial did not produce a valid TCP checksum");
        }
        final int expected = frame.getShort(FIELD_OFFSET, ByteOrder.BIG_ENDIAN) & WORD_MASK;
        if (byteLoop() != expected)
        {
            throw new IllegalStateException("the byte loop disagrees with completePartial");
        }
    }

    private void complete()
    {
        frame.putShort(FIELD_OFFSET, pseudoHeaderSum, ByteOrder.BIG_ENDIAN);
        Checksums.completePartial(frame, L4_OFFSET, FIELD_OFFSET, frameLength);
    }

    /** RFC 1071 two bytes at a time; the field holds the pseudo-header sum, as in a partial frame. */
    private int byteLoop()
    {
        final byte[] b = bytes;
        long sum = 0;
        int i = L4_OFFSET;
        for (; i + 1 < frameLength; i += 2)
        {
            sum += ((b[i] & BYTE_MASK) << BITS_PER_BYTE) | (b[i + 1] & BYTE_MASK);
        }
        if (i < frameLength)
        {
            sum += (b[i] & BYTE_MASK) << BITS_PER_BYTE;
        }
        while ((sum >>> Short.SIZE) != 0)
        {
            sum = (sum & WORD_MASK) + (sum >>> Short.SIZE);
        }
        return ~(int)sum & WORD_MASK;
    }

    @Benchmark
    public void completePartial(final Blackhole bh)
    {
        complete();
        bh.consume(frame);
    }

    @Benchmark
    public int baselineByteLoop()
    {
        return byteLoop();
    }
}
