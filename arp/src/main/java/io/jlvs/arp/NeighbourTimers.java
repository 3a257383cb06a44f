package io.jlvs.arp;

import java.util.concurrent.TimeUnit;

/**
 * The timers of the {@link NeighbourTable}, immutable; defaults follow Linux's ARP neighbour parameters
 * ({@code /proc/sys/net/ipv4/neigh/DEV/*}). Change one with a with-er: {@code NeighbourTimers.DEFAULT.reachableNs(x)}.
 */
public final class NeighbourTimers
{
    /** Linux {@code base_reachable_time_ms} (30 s): how long an answer keeps an entry REACHABLE. */
    public static final long DEFAULT_REACHABLE_NS = TimeUnit.SECONDS.toNanos(30);

    /** Linux {@code retrans_time_ms} (1 s): the wait for an answer before the next request. */
    public static final long DEFAULT_PROBE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /** Linux {@code mcast_solicit} and {@code ucast_solicit} (3 each): unanswered requests before FAILED. */
    public static final int DEFAULT_MAX_PROBES = 3;

    /**
     * How often a FAILED entry is solicited again (broadcast). Linux has no such timer because it re-resolves a
     * FAILED neighbour when traffic is next sent to it; a real server in FAILED gets no traffic from us, so without a
     * retry it would never come back. 5 s notices a returning server quickly without flooding the segment.
     */
    public static final long DEFAULT_FAILED_PROBE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);

    /** All defaults. */
    public static final NeighbourTimers DEFAULT = new NeighbourTimers(
        DEFAULT_REACHABLE_NS, DEFAULT_PROBE_INTERVAL_NS, DEFAULT_MAX_PROBES, DEFAULT_FAILED_PROBE_INTERVAL_NS);

    private final long reachableNs;
    private final long probeIntervalNs;
    private final int maxProbes;
    private final long failedProbeIntervalNs;

    private NeighbourTimers(
        final long reachableNs, final long probeIntervalNs, final int maxProbes, final long failedProbeIntervalNs)
    {
        this.reachableNs = requirePositive("reachableNs", reachableNs);
        this.probeIntervalNs = requirePositive("probeIntervalNs", probeIntervalNs);
        if (maxProbes < 1)
        {
            throw new IllegalArgumentException("maxProbes must be >= 1, maxProbes=" + maxProbes);
        }
        this.maxProbes = maxProbes;
        this.failedProbeIntervalNs = requirePositive("failedProbeIntervalNs", failedProbeIntervalNs);
    }

    public long reachableNs()
    {
        return reachableNs;
    }

    /** A copy with another REACHABLE lifetime. */
    public NeighbourTimers reachableNs(final long reachableNs)
    {
        return new NeighbourTimers(reachableNs, probeIntervalNs, maxProbes, failedProbeIntervalNs);
    }

    public long probeIntervalNs()
    {
        return probeIntervalNs;
    }

    /** A copy with another wait between unanswered requests. */
    public NeighbourTimers probeIntervalNs(final long probeIntervalNs)
    {
        return new NeighbourTimers(reachableNs, probeIntervalNs, maxProbes, failedProbeIntervalNs);
    }

    public int maxProbes()
    {
        return maxProbes;
    }

    /** A copy with another number of unanswered requests before FAILED. */
    public NeighbourTimers maxProbes(final int maxProbes)
    {
        return new NeighbourTimers(reachableNs, probeIntervalNs, maxProbes, failedProbeIntervalNs);
    }

    public long failedProbeIntervalNs()
    {
        return failedProbeIntervalNs;
    }

    /** A copy with another retry interval for FAILED entries. */
    public NeighbourTimers failedProbeIntervalNs(final long failedProbeIntervalNs)
    {
        return new NeighbourTimers(reachableNs, probeIntervalNs, maxProbes, failedProbeIntervalNs);
    }

    @Override
    public String toString()
    {
        return "NeighbourTimers{reachableNs=" + reachableNs + ", probeIntervalNs=" + probeIntervalNs +
            ", maxProbes=" + maxProbes + ", failedProbeIntervalNs=" + failedProbeIntervalNs + '}';
    }

    private static long requirePositive(final String name, final long valueNs)
    {
        if (valueNs <= 0)
        {
            throw new IllegalArgumentException(name + " must be > 0, " + name + "=" + valueNs);
        }
        return valueNs;
    }
}
