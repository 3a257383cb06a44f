package io.jlvs.cli.listing;

/**
 * The director's forwarding latency as {@code jlvs list --latency} shows it, from {@link LatencyStatistics}: the last
 * complete sampling interval, and the total since the director started or its counters were last zeroed.
 *
 * @param sampled  whether a sample was ever taken (until then both windows are empty whatever was forwarded).
 * @param zeroed   whether the total counts from a zero ({@code ipvsadm -Z} of every service) rather than the start.
 * @param interval the last complete interval.
 * @param total    every interval since start or zero, the last one included.
 */
public record Latency(boolean sampled, boolean zeroed, LatencyRow interval, LatencyRow total)
{
    /** What a director whose latency nobody samples shows. */
    public static final Latency NOT_SAMPLED = new Latency(false, false, LatencyRow.empty(0), LatencyRow.empty(0));

    public Latency
    {
        if (interval == null || total == null)
        {
            throw new IllegalArgumentException("interval and total must be given");
        }
    }
}
