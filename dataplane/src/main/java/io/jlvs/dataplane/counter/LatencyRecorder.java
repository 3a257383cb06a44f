package io.jlvs.dataplane.counter;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * The director's latency from the kernel's RX timestamp to the TX flush, in nanoseconds, in HdrHistogram recorders:
 * each forwarding worker records into its own ({@link #forWorker(int)}) once per batch (wait-free, no allocation),
 * and a reader takes interval histograms of them all, merged, without stopping anyone.
 */
public final class LatencyRecorder
{
    /** Anything above this is recorded as this: a stalled director, not a measurement to resolve finely. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder[] recorders;
    private final SingleWriterRecorder own;

    public LatencyRecorder()
    {
        this(1);
    }

    /** Recorders for {@code workers} forwarding workers; this instance records into the first one. */
    public LatencyRecorder(final int workers)
    {
        recorders = new SingleWriterRecorder[workers];
        for (int i = 0; i < workers; i++)
        {
            recorders[i] = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        }
        own = recorders[0];
    }

    private LatencyRecorder(final LatencyRecorder all, final int worker)
    {
        recorders = all.recorders;
        own = recorders[worker];
    }

    /** The view worker {@code worker} records through; {@link #interval()} through it still merges every worker. */
    public LatencyRecorder forWorker(final int worker)
    {
        return new LatencyRecorder(this, worker);
    }

    /** Its worker only: {@code count} frames waited {@code latencyNs} (clamped to the trackable range). */
    public void record(final long latencyNs, final int count)
    {
        own.recordValueWithCount(Math.max(1, Math.min(latencyNs, HIGHEST_TRACKABLE_NS)), count);
    }

    /** Any thread: what every worker recorded since the last call, merged (allocates: control plane only). */
    public Histogram interval()
    {
        final Histogram merged = recorders[0].getIntervalHistogram();
        for (int i = 1; i < recorders.length; i++)
        {
            merged.add(recorders[i].getIntervalHistogram());
        }
        return merged;
    }
}
