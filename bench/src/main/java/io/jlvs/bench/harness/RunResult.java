package io.jlvs.bench.harness;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What one run measured: one director (jlvs, or the kernel baseline) under one workload. Totals cover the whole
 * run, generator start to drained; the rates cover only the measurement window, after the warm-up.
 *
 * @param director          {@code jlvs} or {@code kernel}.
 * @param windowNs          how long the window really lasted.
 * @param generated         frames the kernel accepted from the generator over the run.
 * @param generatedInWindow the same, in the window.
 * @param reachedDirector   frames the director's interface received over the run.
 * @param received          frames the real servers' interfaces received over the run, all servers.
 * @param receivedInWindow  the same, in the window: what {@link #forwardedPps()} is made of.
 * @param receivedPerServer {@link #received} per real server, server 1 first.
 * @param newConnectionsInWindow connections the director scheduled in the window (jlvs), -1 for the kernel.
 * @param latency           jlvs's capture-to-TX latency in the window, null for the kernel (it reports none).
 * @param ringDrops         frames the kernel dropped because jlvs's RX ring was full (jlvs), 0 for the kernel.
 * @param directorDrops     jlvs's non-zero drop counters in the run, {@code NAME=n ...}; empty when none.
 */
public record RunResult(
    String director,
    long windowNs,
    long generated,
    long generatedInWindow,
    long reachedDirector,
    long received,
    long receivedInWindow,
    long[] receivedPerServer,
    long newConnectionsInWindow,
    Latency latency,
    long ringDrops,
    String directorDrops)
{
    /**
     * Below this loss a director kept up with everything the generator got out: its rate is then the generator's
     * (which shares the cores, and on veth also carries the kernel's forwarding work in its own softirq), so it is
     * a lower bound of what that director could forward.
     */
    static final double KEPT_UP_LOSS_FRACTION = 0.001;

    /** Percentiles of a latency histogram, in nanoseconds, and how many frames it holds. */
    public record Latency(long p50Ns, long p99Ns, long p999Ns, long maxNs, long frames)
    {
    }

    /** Frames per second that reached the real servers in the window. */
    public double forwardedPps()
    {
        return perSecond(receivedInWindow);
    }

    /** Frames per second the generator got out in the window. */
    public double offeredPps()
    {
        return perSecond(generatedInWindow);
    }

    /** New connections per second in the window (jlvs), or -1. */
    public double newConnectionsPerSecond()
    {
        return newConnectionsInWindow < 0 ? -1 : perSecond(newConnectionsInWindow);
    }

    /**
     * The share of generated frames that never reached a real server, over the whole run; never below 0 (the
     * servers' counters also see a few ARP frames that the generator did not send).
     */
    public double lossFraction()
    {
        return generated == 0 ? 0 : Math.max(0, 1.0 - (double)received / generated);
    }

    /** Whether the director forwarded (nearly) everything that was generated: see {@link #KEPT_UP_LOSS_FRACTION}. */
    public boolean keptUp()
    {
        return generated > 0 && lossFraction() < KEPT_UP_LOSS_FRACTION;
    }

    private double perSecond(final long frames)
    {
        return windowNs <= 0 ? 0 : frames * (double)TimeUnit.SECONDS.toNanos(1) / windowNs;
    }

    /** The run's lines for the report, indented under its case. */
    String describe()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "  %-6s forwarded %,.0f pps to the real servers (offered %,.0f pps)",
            director, forwardedPps(), offeredPps()));
        if (newConnectionsInWindow >= 0)
        {
            text.append(String.format(Locale.ROOT, ", %,.0f new connections/s", newConnectionsPerSecond()));
        }
        text.append(String.format(Locale.ROOT, "%n         generated %,d, reached the director %,d, received %,d " +
            "(per server:", generated, reachedDirector, received));
        for (final long server : receivedPerServer)
        {
            text.append(String.format(Locale.ROOT, " %,d", server));
        }
        text.append(String.format(Locale.ROOT, "), loss %.1f %%", 100 * lossFraction()));
        if (keptUp())
        {
            text.append(" (it forwarded all it was offered: the rate is the generator's, a lower bound)");
        }
        text.append(String.format(Locale.ROOT, "%n         latency: "));
        if (latency == null)
        {
            text.append("none (the kernel baseline reports no per-frame latency)");
        }
        else if (latency.frames() == 0)
        {
            text.append("no frames recorded in the window");
        }
        else
        {
            text.append(String.format(Locale.ROOT,
                "RX to TX flush p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us (%,d frames)",
                micros(latency.p50Ns()), micros(latency.p99Ns()), micros(latency.p999Ns()), micros(latency.maxNs()),
                latency.frames()));
        }
        if (latency != null)
        {
            text.append(String.format(Locale.ROOT, "%n         jlvs drops: RX ring full %,d%s", ringDrops,
                directorDrops.isEmpty() ? ", no drop counter moved" : ", " + directorDrops));
        }
        return text.toString();
    }

    private static double micros(final long nanos)
    {
        return nanos / (double)TimeUnit.MICROSECONDS.toNanos(1);
    }
}
