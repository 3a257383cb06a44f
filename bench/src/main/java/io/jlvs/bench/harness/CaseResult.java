package io.jlvs.bench.harness;

import java.util.Locale;

/**
 * One case of the harness (a frame size and a workload) measured through jlvs and through the kernel baseline,
 * and its summary line.
 *
 * @param name    how the summary line starts, e.g. {@code 64B} or {@code 64B SYN-only}.
 * @param synOnly whether every frame was a SYN of a new connection (the summary then speaks of connections).
 * @param workers forwarding workers jlvs ran with.
 */
public record CaseResult(String name, boolean synOnly, int workers, RunResult jlvs, RunResult kernel)
{
    /** jlvs's forwarded packets per second over the kernel's, or NaN when the kernel forwarded nothing. */
    public double ratio()
    {
        final double kernelPps = kernel.forwardedPps();
        return kernelPps > 0 ? jlvs.forwardedPps() / kernelPps : Double.NaN;
    }

    /** {@code 64B 1 worker: jlvs X pps, kernel Y pps, ratio Z}. */
    public String summaryLine()
    {
        final String ratio = Double.isNaN(ratio()) ? "n/a (the kernel forwarded nothing)" :
            String.format(Locale.ROOT, "%.2f", ratio());
        final String workerText = workers + (workers == 1 ? " worker" : " workers");
        if (synOnly)
        {
            return String.format(Locale.ROOT,
                "%s %s: jlvs %.0f pps (%.0f new connections/s), kernel %.0f pps (stateless: no connections), " +
                "ratio %s", name, workerText, jlvs.forwardedPps(), jlvs.newConnectionsPerSecond(),
                kernel.forwardedPps(), ratio);
        }
        return String.format(Locale.ROOT, "%s %s: jlvs %.0f pps, kernel %.0f pps, ratio %s",
            name, workerText, jlvs.forwardedPps(), kernel.forwardedPps(), ratio);
    }
}
