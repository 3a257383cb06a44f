package io.jlvs.dataplane.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one transport: plain long getters for the listing and monitoring, and {@link #add} for the
 * transport itself.
 * <p>
 * Each counter has a single writer (RX counters the capture thread, TX counters the forwarding thread), so an add is a
 * plain read of its own last value and an opaque write: no atomic instruction, no fence. Readers use opaque reads and
 * never see a torn value. Each counter sits on its own cache line so the two writer threads never false-share.
 */
public final class TransportCounters
{
    /** Longs per 64-byte cache line: one counter per line, so RX and TX writers never share a line. */
    private static final int LONGS_PER_CACHE_LINE = 8;
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    /** Padded: counter {@code id} lives at {@code (id + 1) * LONGS_PER_CACHE_LINE}, a line before and after it. */
    private final long[] values = new long[(TransportCounter.count() + 2) * LONGS_PER_CACHE_LINE];
    private volatile int txLastErrno;

    private static int index(final TransportCounter counter)
    {
        return (counter.id() + 1) * LONGS_PER_CACHE_LINE;
    }

    /** Adds {@code delta} to {@code counter}; only the counter's writer thread may call this. */
    public void add(final TransportCounter counter, final long delta)
    {
        final int index = index(counter);
        VALUES.setOpaque(values, index, values[index] + delta);
    }

    /** Adds one to {@code counter}; only the counter's writer thread may call this. */
    public void increment(final TransportCounter counter)
    {
        add(counter, 1);
    }

    /** The current value of {@code counter}, from any thread. */
    public long get(final TransportCounter counter)
    {
        return (long)VALUES.getOpaque(values, index(counter));
    }

    /** Records the errno of the last frame the kernel refused (TX thread only). */
    public void txLastErrno(final int errno)
    {
        txLastErrno = errno;
    }

    /** The errno of the last frame the kernel refused, 0 if none was. */
    public int txLastErrno()
    {
        return txLastErrno;
    }

    public long rxFrames()
    {
        return get(TransportCounter.RX_FRAMES);
    }

    public long rxBytes()
    {
        return get(TransportCounter.RX_BYTES);
    }

    public long rxKernelDrops()
    {
        return get(TransportCounter.RX_KERNEL_DROPS);
    }

    public long rxKernelFreezes()
    {
        return get(TransportCounter.RX_KERNEL_FREEZES);
    }

    public long rxTruncated()
    {
        return get(TransportCounter.RX_TRUNCATED);
    }

    public long rxOutgoingSkipped()
    {
        return get(TransportCounter.RX_OUTGOING_SKIPPED);
    }

    public long rxRingCorrupt()
    {
        return get(TransportCounter.RX_RING_CORRUPT);
    }

    public long txFrames()
    {
        return get(TransportCounter.TX_FRAMES);
    }

    public long txBytes()
    {
        return get(TransportCounter.TX_BYTES);
    }

    public long txErrors()
    {
        return get(TransportCounter.TX_ERRORS);
    }

    /** queue() refusals on a full batch (see {@link TransportCounter#TX_DROPPED_BATCH_FULL}). */
    public long txDroppedBatchFull()
    {
        return get(TransportCounter.TX_DROPPED_BATCH_FULL);
    }

    public long txDroppedNoBuffer()
    {
        return get(TransportCounter.TX_DROPPED_NO_BUFFER);
    }

    public long txRetries()
    {
        return get(TransportCounter.TX_RETRIES);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("TransportCounters{");
        for (final TransportCounter counter : TransportCounter.values())
        {
            text.append(counter.label()).append('=').append(get(counter)).append(", ");
        }
        return text.append("txLastErrno=").append(txLastErrno).append('}').toString();
    }
}
