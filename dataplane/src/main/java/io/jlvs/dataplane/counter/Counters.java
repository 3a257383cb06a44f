package io.jlvs.dataplane.counter;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * The values of {@link Counter}s, each on its own cache lines. With several forwarding workers every worker writes
 * its own stripe ({@link #forWorker(int)}) and a read sums the stripes, so workers never share a line and the
 * capture and forwarding threads of one worker each write their own counters. One writer per counter per stripe;
 * readers sample without stopping anyone.
 */
public final class Counters
{
    /** Two cache lines per counter: adjacent-line prefetch pulls pairs of 64-byte lines on x86. */
    private static final int COUNTER_STRIDE_BYTES = 128;
    private static final int ALIGNMENT = 64;

    private final UnsafeBuffer values;
    private final int stripes;
    private final int stripeBytes;
    /** Where this view's stripe starts in memory: the writer's stores need no bounds check (see increment). */
    private final long stripeAddress;

    public Counters()
    {
        this(1);
    }

    /** Counters for {@code workers} forwarding workers; this instance writes the first worker's stripe. */
    public Counters(final int workers)
    {
        this.stripes = workers;
        this.stripeBytes = Counter.values().length * COUNTER_STRIDE_BYTES;
        this.values = new UnsafeBuffer(BufferUtil.allocateDirectAligned(workers * stripeBytes, ALIGNMENT));
        this.stripeAddress = values.addressOffset();
    }

    private Counters(final Counters all, final int worker)
    {
        this.values = all.values;
        this.stripes = all.stripes;
        this.stripeBytes = all.stripeBytes;
        this.stripeAddress = values.addressOffset() + (long)worker * stripeBytes;
    }

    /** The view that worker {@code worker} writes through; reads through it still sum every worker. */
    public Counters forWorker(final int worker)
    {
        if (worker < 0 || worker >= stripes)
        {
            throw new IllegalArgumentException("worker must be 0.." + (stripes - 1) + ", worker=" + worker);
        }
        return new Counters(this, worker);
    }

    /** Writer thread only. */
    public void increment(final Counter counter)
    {
        add(counter, 1);
    }

    /** Writer thread only. */
    public void add(final Counter counter, final long delta)
    {
        // A counter's offset comes from its ordinal, always inside the stripe this view was built for (checked in
        // forWorker), so the per-packet stores skip the buffer's bounds check. The direct memory stays reachable
        // through values. A release store: readers on other threads see whole, recent values.
        final long address = stripeAddress + (long)counter.ordinal() * COUNTER_STRIDE_BYTES;
        UNSAFE.putOrderedLong(null, address, UNSAFE.getLong(null, address) + delta);
    }

    /** Any thread: the sum over every worker. */
    public long get(final Counter counter)
    {
        long total = 0;
        for (int stripe = 0; stripe < stripes; stripe++)
        {
            total += values.getLongVolatile(stripe * stripeBytes + counter.ordinal() * COUNTER_STRIDE_BYTES);
        }
        return total;
    }

    /** Any thread: one worker's count. */
    public long get(final int worker, final Counter counter)
    {
        return values.getLongVolatile(worker * stripeBytes + counter.ordinal() * COUNTER_STRIDE_BYTES);
    }

    /** How many workers' stripes these counters hold. */
    public int workers()
    {
        return stripes;
    }

    /** The sum of every drop counter over every worker; any thread. */
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
