package io.jlvs.bench.harness;

import java.util.Locale;

/**
 * The latency case: jlvs forwarding 64-byte frames offered at half its saturation rate, one worker; issue 7's target
 * is a p99 under 100 µs there.
 *
 * @param offeredPps what the paced generator offered.
 * @param jlvs       the run.
 */
public record HalfLoadResult(long offeredPps, RunResult jlvs)
{
    private static final double NS_PER_US = 1_000.0;

    /** {@code 64B 1 worker at half load (N pps): p50 A us, p99 B us, p99.9 C us}. */
    public String summaryLine()
    {
        final RunResult.Latency latency = jlvs.latency();
        if (latency == null || latency.frames() == 0)
        {
            return String.format(Locale.ROOT, "64B 1 worker at half load (%d pps): no latency recorded", offeredPps);
        }
        return String.format(Locale.ROOT,
            "64B 1 worker at half load (%d pps offered, %.0f forwarded): p50 %.1f us, p99 %.1f us, p99.9 %.1f us",
            offeredPps, jlvs.forwardedPps(), latency.p50Ns() / NS_PER_US, latency.p99Ns() / NS_PER_US,
            latency.p999Ns() / NS_PER_US);
    }
}
