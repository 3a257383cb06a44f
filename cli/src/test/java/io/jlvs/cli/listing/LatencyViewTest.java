package io.jlvs.cli.listing;

import io.jlvs.dataplane.counter.LatencyRecorder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code jlvs list --latency} against text laid out by hand, and the request that asks for it. The histogram values
 * are worked out from HdrHistogram's buckets (3 significant digits): a value v of b bits above 11 lies in a bucket
 * 2^(b-11) wide, and a percentile is reported as the highest value of its bucket.
 */
class LatencyViewTest
{
    private static final long TWO_SECONDS = TimeUnit.SECONDS.toNanos(2);
    private static final String TITLE_US = "Forwarding latency, RX to TX flush (microseconds)";
    private static final String TITLE_NS = "Forwarding latency, RX to TX flush (nanoseconds)";
    private static final String HEADER = "Window" + sp(6) + "Seconds" + sp(3) + "Frames" + sp(9) + "P50" + sp(9) +
        "P90" + sp(9) + "P99" + sp(7) + "P99.9" + sp(9) + "Max";

    @Test
    void aKnownHistogramPrintsItsLastIntervalAndItsTotalInMicroseconds()
    {
        assertLines(List.of(
            TITLE_US,
            HEADER,
            "Interval" + sp(8) + "2.0" + sp(7) + "50" + (sp(9) + "1.0").repeat(5),
            "Total" + sp(11) + "4.0" + sp(6) + "150" + (sp(8) + "12.4").repeat(3) + (sp(7) + "250.1").repeat(2)),
            IpvsadmFormat.latency(knownLatency(), false));
    }

    @Test
    void exactPrintsTheSameHistogramInWholeNanoseconds()
    {
        assertLines(List.of(
            TITLE_NS,
            HEADER,
            "Interval" + sp(8) + "2.0" + sp(7) + "50" + (sp(8) + "1000").repeat(5),
            "Total" + sp(11) + "4.0" + sp(6) + "150" + (sp(7) + "12351").repeat(3) + (sp(6) + "250111").repeat(2)),
            IpvsadmFormat.latency(knownLatency(), true));
    }

    @Test
    void anIdleIntervalShowsZeroFramesAndADashForEachPercentile()
    {
        final Latency latency = new Latency(true, false, LatencyRow.empty(TWO_SECONDS),
            new LatencyRow(TimeUnit.SECONDS.toNanos(3_600), 7, 1_200, 1_200, 1_200, 1_200, 1_200));

        assertLines(List.of(
            TITLE_US,
            HEADER,
            "Interval" + sp(8) + "2.0" + sp(8) + "0" + (sp(11) + "-").repeat(5),
            "Total" + sp(8) + "3600.0" + sp(8) + "7" + (sp(9) + "1.2").repeat(5)),
            IpvsadmFormat.latency(latency, false));
    }

    @Test
    void framesAreScaledAsStatsCountsUnlessExactAndTheTenSecondCeilingStillLeavesASpace()
    {
        final LatencyRow row = new LatencyRow(TWO_SECONDS, 123_456_789L, 1_000, 1_000, 1_000, 1_000,
            10_007_609_343L);
        final Latency latency = new Latency(true, false, row, row);

        assertEquals("Interval" + sp(8) + "2.0" + sp(2) + "123456K" + (sp(9) + "1.0").repeat(4) + sp(2) +
            "10007609.3", IpvsadmFormat.latency(latency, false).lines().toList().get(2));
        assertEquals("Interval" + sp(8) + "2.0" + sp(1) + "123456789" + (sp(8) + "1000").repeat(4) + sp(1) +
            "10007609343", IpvsadmFormat.latency(latency, true).lines().toList().get(2));
    }

    @Test
    void beforeTheFirstSampleOneLineSaysSoInsteadOfTheTable()
    {
        assertLines(List.of(TITLE_US, "Not sampled yet: jlvs run samples it every 2 seconds."),
            IpvsadmFormat.latency(Latency.NOT_SAMPLED, false));
    }

    @Test
    void beforeAnyFrameWasForwardedOneLineSaysSo()
    {
        final Latency latency = new Latency(true, false, LatencyRow.empty(TWO_SECONDS),
            LatencyRow.empty(TWO_SECONDS));

        assertLines(List.of(TITLE_US, "No frames forwarded yet."), IpvsadmFormat.latency(latency, false));
    }

    @Test
    void afterAZeroWithoutFramesOneLineSaysTheCountersWereZeroed()
    {
        final Latency latency = new Latency(false, true, LatencyRow.empty(0), LatencyRow.empty(0));

        assertLines(List.of(TITLE_NS, "No frames forwarded since the counters were zeroed."),
            IpvsadmFormat.latency(latency, true));
    }

    @Test
    void theLatencyRequestRendersTheLatencyTableInsteadOfTheServices()
    {
        final ListRequest request = ListRequest.parse(List.of("latency", "exact"));

        assertEquals(new ListRequest(ListView.LATENCY, true, false, false, false, false), request);
        assertEquals("list latency exact", request.toLine());
        assertEquals(IpvsadmFormat.latency(knownLatency(), true), IpvsadmFormat.render(listing(), request));
    }

    @Test
    void withConnectionsTheLatencyViewGivesWayAsTheOtherServiceViewsDo()
    {
        final ListRequest request = ListRequest.parse(List.of("latency", "connections"));

        assertEquals(IpvsadmFormat.connections(listing()), IpvsadmFormat.render(listing(), request));
    }

    @Test
    void latencyAndAnotherServiceViewAtOnceAreRefused()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> ListRequest.parse(List.of("rate", "latency")));

        assertEquals("choose one of stats, rate, thresholds, persistent-conn and latency", refused.getMessage());
    }

    /**
     * Two samples 2 s apart: first 99 frames at 12345 ns and one at 250000 ns, then 50 at 1000 ns. 12345 has 14 bits,
     * so its bucket is 8 ns wide: 12344..12351. 250000 has 18 bits: 128 ns wide, 249984..250111. Of the 150 frames,
     * the 75th (P50), 135th (P90) and 149th (P99) are in 12345's bucket, the 150th (P99.9, ceil(149.85)) is the
     * slowest.
     */
    private static Latency knownLatency()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final long startNs = 0;
        final LatencyStatistics statistics = new LatencyStatistics(recorder, startNs);
        recorder.record(12_345, 99);
        recorder.record(250_000, 1);
        statistics.sample(startNs + TWO_SECONDS);
        recorder.record(1_000, 50);
        statistics.sample(startNs + 2 * TWO_SECONDS);
        return statistics.latency();
    }

    private static Listing listing()
    {
        return new Listing(4096, "eth0", List.of(), 900, 120, 300, List.of(), List.of(), List.of(), List.of(), 1,
            knownLatency());
    }

    private static void assertLines(final List<String> expected, final String actual)
    {
        final List<String> lines = actual.lines().toList();
        for (int i = 0; i < Math.min(expected.size(), lines.size()); i++)
        {
            assertEquals(expected.get(i), lines.get(i), "line " + (i + 1));
        }
        assertEquals(expected.size(), lines.size(), "number of lines in:\n" + actual);
        assertEquals('\n', actual.charAt(actual.length() - 1), "ends with a newline");
    }

    private static String sp(final int count)
    {
        return " ".repeat(count);
    }
}
