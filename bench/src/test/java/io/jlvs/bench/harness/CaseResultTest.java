package io.jlvs.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CaseResultTest
{
    private static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(2);

    @Test
    void summaryLineGivesBothRatesAndTheirRatio()
    {
        final CaseResult result = new CaseResult("64B", false, 1, run("jlvs", 600_000, -1),
            run("kernel", 1_600_000, -1));
        assertEquals("64B 1 worker: jlvs 300000 pps, kernel 800000 pps, ratio 0.38", result.summaryLine());
    }

    @Test
    void synOnlySummaryLineAddsNewConnectionsPerSecond()
    {
        final CaseResult result = new CaseResult("64B SYN-only", true, 1, run("jlvs", 200_000, 200_000),
            run("kernel", 400_000, -1));
        assertEquals("64B SYN-only 1 worker: jlvs 100000 pps (100000 new connections/s), kernel 200000 pps " +
            "(stateless: no connections), ratio 0.50", result.summaryLine());
    }

    @Test
    void ratioIsNotANumberWhenTheKernelForwardedNothing()
    {
        final CaseResult result = new CaseResult("1500B", false, 1, run("jlvs", 10, -1), run("kernel", 0, -1));
        assertEquals("1500B 1 worker: jlvs 5 pps, kernel 0 pps, ratio n/a (the kernel forwarded nothing)",
            result.summaryLine());
    }

    @Test
    void lossIsTheShareOfGeneratedFramesThatNeverArrivedAndNeverNegative()
    {
        assertEquals(0.25, run("jlvs", 0, -1, 1_000, 750).lossFraction(), 1e-9);
        assertEquals(0.0, run("jlvs", 0, -1, 1_000, 1_003).lossFraction(), 1e-9);
    }

    private static RunResult run(final String director, final long receivedInWindow, final long newConnections)
    {
        return run(director, receivedInWindow, newConnections, receivedInWindow, receivedInWindow);
    }

    private static RunResult run(
        final String director, final long receivedInWindow, final long newConnections, final long generated,
        final long received)
    {
        return new RunResult(director, WINDOW_NS, generated, receivedInWindow, generated, received, receivedInWindow,
            new long[] {received}, newConnections, null, 0, "");
    }
}
