package io.jlvs.cli.listing;

import io.jlvs.dataplane.counter.LatencyRecorder;
import org.HdrHistogram.Histogram;

/**
 * The control plane's view of the director's forwarding latency, for {@code jlvs list --latency}: a control-plane
 * timer takes what every worker recorded since its last sample ({@link LatencyRecorder#interval()}) every 2 seconds,
 * keeps it as the last interval and adds it to a total since start, which zeroing every service
 * ({@code ipvsadm -Z}) restarts, as it restarts IPVS's own totals.
 * <p>
 * Taking an interval empties the recorder, so this must be the recorder's only reader in a running director; any
 * thread may call its methods (they are synchronized), and each allocates: control plane only.
 */
public final class LatencyStatistics
{
    /** How often {@link #sample} should be called: on the rate estimator's timer, so one timer serves both. */
    public static final long SAMPLE_INTERVAL_NS = ServerStatistics.SAMPLE_INTERVAL_NS;
    /**
     * A sample closer than this to the previous one is skipped: a timer catching up after a stall fires in a burst,
     * and a sliver of an interval would replace the last complete one.
     */
    private static final long MIN_SAMPLE_SPACING_NS = SAMPLE_INTERVAL_NS / 2;
    /** The percentiles shown, in HdrHistogram's unit: percent. */
    private static final double P50 = 50.0;
    private static final double P90 = 90.0;
    private static final double P99 = 99.0;
    private static final double P999 = 99.9;

    private final LatencyRecorder recorder;
    /** Guarded by this object, as every field below: when the total starts, at start or at the last zero. */
    private long totalStartNs;
    private long intervalStartNs;
    private long lastSampleNs;
    private boolean sampled;
    private boolean zeroed;
    /** The last complete interval, or null before the first sample (or after a zero). */
    private Histogram interval;
    /** The intervals since {@link #totalStartNs} added up, or null while there were none. */
    private Histogram total;

    /** The statistics of {@code recorder}, which this then reads alone, from {@code nowNs} on. */
    public LatencyStatistics(final LatencyRecorder recorder, final long nowNs)
    {
        this.recorder = recorder;
        totalStartNs = nowNs;
        intervalStartNs = nowNs;
        lastSampleNs = nowNs;
    }

    /**
     * The sampling timer's work at {@code nowNs}: what the workers recorded since the last sample becomes the last
     * interval and is added to the total. Skipped when the last sample (or the start, or zero) is too recent.
     */
    public synchronized void sample(final long nowNs)
    {
        if (nowNs - lastSampleNs < MIN_SAMPLE_SPACING_NS)
        {
            return;
        }
        final Histogram taken = recorder.interval();
        if (total == null)
        {
            total = taken.copy();
        }
        else
        {
            total.add(taken);
        }
        interval = taken;
        intervalStartNs = lastSampleNs;
        lastSampleNs = nowNs;
        sampled = true;
    }

    /**
     * {@code ipvsadm -Z} of every service at {@code nowNs}: the total and the last interval restart empty, and what
     * the workers recorded before now is dropped, so that it counts in neither.
     */
    public synchronized void zero(final long nowNs)
    {
        recorder.interval();
        interval = null;
        total = null;
        totalStartNs = nowNs;
        intervalStartNs = nowNs;
        lastSampleNs = nowNs;
        zeroed = true;
    }

    /** What {@code list --latency} shows: both windows as of the last sample. */
    public synchronized Latency latency()
    {
        return new Latency(sampled, zeroed, row(interval, lastSampleNs - intervalStartNs),
            row(total, lastSampleNs - totalStartNs));
    }

    private static LatencyRow row(final Histogram histogram, final long spanNs)
    {
        if (histogram == null || histogram.getTotalCount() == 0)
        {
            return LatencyRow.empty(spanNs);
        }
        return new LatencyRow(spanNs, histogram.getTotalCount(), histogram.getValueAtPercentile(P50),
            histogram.getValueAtPercentile(P90), histogram.getValueAtPercentile(P99),
            histogram.getValueAtPercentile(P999), histogram.getMaxValue());
    }
}
