package io.jlvs.dataplane.counter;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * The director's latency from capture to TX flush, in nanoseconds, in an HdrHistogram recorder: the forwarding
 * thread records once per batch (wait-free, no allocation), a reader takes interval histograms without stopping it.
 */
public final class LatencyRecorder
{
    /** Anything above this is recorded as this: a stalled director, not a measurement to resolve finely. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);

    /** Forwarding thread only: {@code count} frames waited {@code latencyNs} (clamped to the trackable range). */
    public void record(final long latencyNs, final int count)
    {
        recorder.recordValueWithCount(Math.max(1, Math.min(latencyNs, HIGHEST_TRACKABLE_NS)), count);
    }

    /** Any thread: what was recorded since the last call (allocates: control plane only). */
    public Histogram interval()
    {
        return recorder.getIntervalHistogram();
    }
}
