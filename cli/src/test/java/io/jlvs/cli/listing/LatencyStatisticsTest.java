package io.jlvs.cli.listing;

import io.jlvs.dataplane.counter.LatencyRecorder;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency accumulator on a fake clock, fed through a real {@link LatencyRecorder} as the forwarding workers feed
 * it. Values below 2048 ns are exact in a 3-digit HdrHistogram, so the percentiles below are worked out by hand:
 * HdrHistogram's percentile p is the smallest value whose cumulative count reaches {@code p% * total}, rounded up
 * to a whole frame.
 */
class LatencyStatisticsTest
{
    private static final long TWO_SECONDS = TimeUnit.SECONDS.toNanos(2);
    private static final long HALF_A_SECOND = TimeUnit.MILLISECONDS.toNanos(500);
    /** Any origin: only differences count. */
    private static final long START_NS = 9_876_543_210L;

    private final LatencyRecorder recorder = new LatencyRecorder(2);
    private final LatencyRecorder worker0 = recorder.forWorker(0);
    private final LatencyRecorder worker1 = recorder.forWorker(1);
    private final LatencyStatistics statistics = new LatencyStatistics(recorder, START_NS);

    @Test
    void beforeTheFirstSampleNothingIsSampledWhateverWasRecorded()
    {
        worker0.record(1_000, 5);

        final Latency latency = statistics.latency();

        assertFalse(latency.sampled());
        assertFalse(latency.zeroed());
        assertEquals(LatencyRow.empty(0), latency.interval());
        assertEquals(LatencyRow.empty(0), latency.total());
    }

    @Test
    void aSampleWithoutFramesIsSampledAndEmpty()
    {
        statistics.sample(START_NS + TWO_SECONDS);

        final Latency latency = statistics.latency();

        assertTrue(latency.sampled());
        assertEquals(LatencyRow.empty(TWO_SECONDS), latency.interval());
        assertEquals(LatencyRow.empty(TWO_SECONDS), latency.total());
    }

    @Test
    void bothWorkersRecordingsAreMergedIntoOneWindow()
    {
        // 1000 frames: 900 at 1000 ns and 9 at 1900 ns on worker 0, 90 at 1500 ns and 1 at 2000 ns on worker 1.
        worker0.record(1_000, 900);
        worker1.record(1_500, 90);
        worker0.record(1_900, 9);
        worker1.record(2_000, 1);

        statistics.sample(START_NS + TWO_SECONDS);

        // P50 and P90 (900th frame) are 1000; P99 (990th) 1500; P99.9 (999th) 1900; max 2000.
        final LatencyRow expected = new LatencyRow(TWO_SECONDS, 1_000, 1_000, 1_000, 1_500, 1_900, 2_000);
        assertEquals(expected, statistics.latency().interval());
        assertEquals(expected, statistics.latency().total());
    }

    @Test
    void theIntervalIsTheLastSampleAloneAndTheTotalAddsEverySample()
    {
        worker0.record(1_000, 30);
        statistics.sample(START_NS + TWO_SECONDS);
        worker1.record(2_000, 10);
        statistics.sample(START_NS + 2 * TWO_SECONDS);

        final Latency latency = statistics.latency();

        assertEquals(new LatencyRow(TWO_SECONDS, 10, 2_000, 2_000, 2_000, 2_000, 2_000), latency.interval());
        // 40 frames: the 20th (P50) is one of the first 30, at 1000 ns; the 36th (P90) is at 2000.
        assertEquals(new LatencyRow(2 * TWO_SECONDS, 40, 1_000, 2_000, 2_000, 2_000, 2_000), latency.total());
    }

    @Test
    void anIdleIntervalLeavesTheTotalAndShowsNoFrames()
    {
        worker0.record(1_200, 7);
        statistics.sample(START_NS + TWO_SECONDS);
        statistics.sample(START_NS + 2 * TWO_SECONDS);

        final Latency latency = statistics.latency();

        assertEquals(LatencyRow.empty(TWO_SECONDS), latency.interval());
        assertEquals(new LatencyRow(2 * TWO_SECONDS, 7, 1_200, 1_200, 1_200, 1_200, 1_200), latency.total());
    }

    @Test
    void aSampleTooSoonAfterTheLastIsSkippedAndItsFramesGoToTheNext()
    {
        worker0.record(1_000, 4);
        statistics.sample(START_NS + TWO_SECONDS);
        worker0.record(1_100, 6);

        statistics.sample(START_NS + TWO_SECONDS + HALF_A_SECOND);

        assertEquals(4, statistics.latency().interval().frames());
        assertEquals(4, statistics.latency().total().frames());
        statistics.sample(START_NS + 2 * TWO_SECONDS);
        assertEquals(new LatencyRow(TWO_SECONDS, 6, 1_100, 1_100, 1_100, 1_100, 1_100),
            statistics.latency().interval());
        assertEquals(10, statistics.latency().total().frames());
    }

    @Test
    void aStalledFrameShowsAsTheTopBucketOfTheRecordersTenSecondCeiling()
    {
        worker0.record(Long.MAX_VALUE, 1);

        statistics.sample(START_NS + TWO_SECONDS);

        // 10^10 ns has 34 bits: its bucket is 2^23 ns wide, 1192 * 2^23 = 9999220736, and the highest value in it
        // is 9999220736 + 2^23 - 1 (the widest value list --latency --exact prints: 11 digits).
        assertEquals(10_007_609_343L, statistics.latency().total().maxNs());
    }

    @Test
    void zeroEmptiesBothWindowsAndDropsWhatWasRecordedBeforeIt()
    {
        worker0.record(1_000, 3);
        statistics.sample(START_NS + TWO_SECONDS);
        // Recorded before the zero but not yet sampled: counts in no window.
        worker1.record(1_900, 5);

        final long zeroNs = START_NS + TWO_SECONDS + HALF_A_SECOND;
        statistics.zero(zeroNs);

        final Latency zeroed = statistics.latency();
        assertTrue(zeroed.zeroed());
        assertEquals(LatencyRow.empty(0), zeroed.interval());
        assertEquals(LatencyRow.empty(0), zeroed.total());

        worker0.record(1_300, 2);
        statistics.sample(zeroNs + TWO_SECONDS);
        final Latency after = statistics.latency();
        assertEquals(new LatencyRow(TWO_SECONDS, 2, 1_300, 1_300, 1_300, 1_300, 1_300), after.interval());
        assertEquals(new LatencyRow(TWO_SECONDS, 2, 1_300, 1_300, 1_300, 1_300, 1_300), after.total());
    }
}
