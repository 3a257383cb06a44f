package io.jlvs.cli.listing;

/**
 * One window of the director's forwarding latency for {@code jlvs list --latency}: how many frames it saw and their
 * latency percentiles, as HdrHistogram reports them (each the highest value of its bucket, within 0.1 %).
 *
 * @param spanNs how long the window lasted: the last interval's length, or the time since start or zero.
 * @param frames frames counted in the window; the percentiles mean nothing when it is 0.
 * @param p50Ns  median latency.
 * @param p90Ns  90th percentile.
 * @param p99Ns  99th percentile.
 * @param p999Ns 99.9th percentile.
 * @param maxNs  the highest latency seen.
 */
public record LatencyRow(long spanNs, long frames, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs)
{
    public LatencyRow
    {
        if (spanNs < 0 || frames < 0)
        {
            throw new IllegalArgumentException("spanNs and frames must be >= 0, spanNs=" + spanNs + ", frames=" +
                frames);
        }
    }

    /** A window without frames. */
    public static LatencyRow empty(final long spanNs)
    {
        return new LatencyRow(spanNs, 0, 0, 0, 0, 0, 0);
    }
}
