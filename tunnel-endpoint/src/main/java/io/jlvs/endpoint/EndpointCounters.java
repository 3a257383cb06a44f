package io.jlvs.endpoint;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The values of the {@link EndpointCounter}s, each on its own pair of cache lines so that readers sampling them do
 * not slow the one thread that writes them (the thread running the endpoint's loop). Readers never stop the writer.
 */
public final class EndpointCounters
{
    /** Two cache lines per counter: adjacent-line prefetch pulls pairs of 64-byte lines on x86. */
    private static final int COUNTER_STRIDE_BYTES = 128;
    private static final int CACHE_LINE_BYTES = 64;

    private final UnsafeBuffer values;

    EndpointCounters()
    {
        values = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            EndpointCounter.values().length * COUNTER_STRIDE_BYTES, CACHE_LINE_BYTES));
    }

    /** Writer thread only. */
    void increment(final EndpointCounter counter)
    {
        final int offset = counter.ordinal() * COUNTER_STRIDE_BYTES;
        values.putLongOrdered(offset, values.getLong(offset) + 1);
    }

    /** Writer thread only. */
    void add(final EndpointCounter counter, final long delta)
    {
        final int offset = counter.ordinal() * COUNTER_STRIDE_BYTES;
        values.putLongOrdered(offset, values.getLong(offset) + delta);
    }

    /** Any thread. */
    public long get(final EndpointCounter counter)
    {
        return values.getLongVolatile(counter.ordinal() * COUNTER_STRIDE_BYTES);
    }

    /** The sum of every drop counter; any thread. */
    public long drops()
    {
        long total = 0;
        for (final EndpointCounter counter : EndpointCounter.values())
        {
            if (counter.isDrop())
            {
                total += get(counter);
            }
        }
        return total;
    }

    /** One {@code label: value} line per non-zero counter, for a listing or a log line at shutdown; any thread. */
    public String describe()
    {
        final StringBuilder out = new StringBuilder();
        for (final EndpointCounter counter : EndpointCounter.values())
        {
            final long value = get(counter);
            if (value != 0)
            {
                out.append(counter.label()).append(": ").append(value).append('\n');
            }
        }
        return out.toString();
    }
}
