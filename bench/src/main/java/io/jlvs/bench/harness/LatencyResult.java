package io.jlvs.bench.harness;

import io.jlvs.dataplane.transport.TransportOptions;

import java.util.Locale;

/**
 * A latency case: jlvs forwarding 64-byte frames offered at a paced rate (half its saturation rate, or a light
 * rate), one worker, with one RX ring layout. Issue 7's target is a p99 under 100 µs at half load; the light rate
 * shows what the TPACKET_V3 block timeout adds when blocks do not fill.
 *
 * @param load       how the rate was chosen, for the summary ("half load", "light load").
 * @param ring       the RX ring jlvs read.
 * @param offeredPps what the paced generator offered.
 * @param jlvs       the run.
 */
public record LatencyResult(String load, TransportOptions.RxRingVersion ring, long offeredPps, RunResult jlvs)
{
    private static final double NS_PER_US = 1_000.0;

    /** {@code 64B 1 worker at half load, V3 ring (N pps offered, M forwarded): p50 A us, p99 B us, p99.9 C us}. */
    public String summaryLine()
    {
        final RunResult.Latency latency = jlvs.latency();
        final String what = String.format(Locale.ROOT, "64B 1 worker at %s, %s ring", load, ring);
        if (latency == null || latency.frames() == 0)
        {
            return String.format(Locale.ROOT, "%s (%d pps offered): no latency recorded", what, offeredPps);
        }
        return String.format(Locale.ROOT,
            "%s (%d pps offered, %.0f forwarded): p50 %.1f us, p99 %.1f us, p99.9 %.1f us",
            what, offeredPps, jlvs.forwardedPps(), latency.p50Ns() / NS_PER_US, latency.p99Ns() / NS_PER_US,
            latency.p999Ns() / NS_PER_US);
    }
}
