package io.jlvs.dataplane.counter;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The values of {@link Counter}s, each on its own cache line so that the capture and forwarding threads, which
 * each write their own counters, never share a line. One writer per counter; readers sample without stopping it.
 */
public final class Counters
{
    /** Two cache lines per counter: adjacent-line prefetch pulls pairs of 64-byte lines on x86. */
    private static final int COUNTER_STRIDE_BYTES = 128;
    private static final int ALIGNMENT = 64;

    private final UnsafeBuffer values;

    public Counters()
    {
        values = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            Counter.values().length * COUNTER_STRIDE_BYTES, ALIGNMENT));
    }

    /** Writer thread only. */
    public void increment(final Counter counter)
    {
        final int offset = counter.ordinal() * COUNTER_STRIDE_BYTES;
        values.putLongOrdered(offset, values.getLong(offset) + 1);
    }

    /** Writer thread only. */
    public void add(final Counter counter, final long delta)
    {
        final int offset = counter.ordinal() * COUNTER_STRIDE_BYTES;
        values.putLongOrdered(offset, values.getLong(offset) + delta);
    }

    /** Any thread. */
    public long get(final Counter counter)
    {
        return values.getLongVolatile(counter.ordinal() * COUNTER_STRIDE_BYTES);
    }

    /** The sum of every drop counter; any thread. */
    public long drops()
    {
        long total = 0;
        for (final Counter counter : Counter.values())
        {
            if (counter.isDrop())
            {
                total += get(counter);
            }
        }
        return total;
    }
}
