package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conversion of the ring's wall-clock receive stamps into the nanoTime domain. */
class RxClockTest
{
    /** A ring stamp the fake rings write: 2026-11-21 in seconds, and some nanoseconds. */
    static final int STAMP_SECONDS = 1_795_000_000;
    static final int STAMP_NANOS = 123_456_789;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** The fixed clock's wall time: 2.5 ms after the stamp, read when nanoTime was {@link #MONOTONIC_NS}. */
    private static final long WALL_NS = STAMP_SECONDS * SECOND + STAMP_NANOS + 2_500_000;
    private static final long MONOTONIC_NS = 77_000_000_000L;

    /** A clock whose offset is wall {@link #WALL_NS} at nanoTime {@link #MONOTONIC_NS}, already read. */
    static RxClock fixedClock()
    {
        final RxClock clock = new RxClock(() -> WALL_NS, () -> MONOTONIC_NS);
        clock.refresh(0);
        return clock;
    }

    /** What a frame stamped {@link #STAMP_SECONDS}, {@code STAMP_NANOS + plusNanos} converts to. */
    static long expectedNanoTime(final int plusNanos)
    {
        return MONOTONIC_NS - 2_500_000 + plusNanos;
    }

    @Test
    void convertsAWallClockStampToTheNanoTimeItHappenedAt()
    {
        assertEquals(expectedNanoTime(0), fixedClock().toNanoTime(STAMP_SECONDS, STAMP_NANOS));
        assertEquals(expectedNanoTime(7), fixedClock().toNanoTime(STAMP_SECONDS, STAMP_NANOS + 7));
    }

    @Test
    void hasNoTimestampUntilTheWallClockCouldBeRead()
    {
        final long[] wall = {-1};
        final RxClock clock = new RxClock(() -> wall[0], () -> MONOTONIC_NS);
        clock.refresh(0);
        assertEquals(FrameSink.NO_RX_TIMESTAMP, clock.toNanoTime(STAMP_SECONDS, STAMP_NANOS));

        wall[0] = WALL_NS;
        clock.refresh(1);
        assertEquals(expectedNanoTime(0), clock.toNanoTime(STAMP_SECONDS, STAMP_NANOS));
    }

    @Test
    void readsTheWallClockAgainOnlyOnceAnIntervalHasPassedAndKeepsTheOffsetWhenAReadFails()
    {
        final long[] wall = {WALL_NS};
        final int[] reads = {0};
        final RxClock clock = new RxClock(() ->
        {
            reads[0]++;
            return wall[0];
        }, () -> MONOTONIC_NS);
        clock.refresh(0);
        clock.refresh(RxClock.REFRESH_INTERVAL_NS - 1);
        assertEquals(1, reads[0]);

        wall[0] = -1;
        clock.refresh(RxClock.REFRESH_INTERVAL_NS);
        assertTrue(reads[0] > 1, "read again once the interval passed");
        assertEquals(expectedNanoTime(0), clock.toNanoTime(STAMP_SECONDS, STAMP_NANOS), "the last good offset");

        wall[0] = WALL_NS + SECOND;
        clock.refresh(2 * RxClock.REFRESH_INTERVAL_NS);
        assertEquals(expectedNanoTime(0) - SECOND, clock.toNanoTime(STAMP_SECONDS, STAMP_NANOS), "a stepped clock");
    }

    @Test
    void aWallClockReadThatWasPreemptedIsNotTrustedWhenATighterOneFollows()
    {
        // Monotonic reads bracket each wall read: the first pair 3 ms apart (the thread was off the CPU), then 100 ns.
        final long[] monotonic = {MONOTONIC_NS - 1_000_000, MONOTONIC_NS + 2_000_000, MONOTONIC_NS - 50,
            MONOTONIC_NS + 50};
        final long[] wall = {WALL_NS + 5_000_000, WALL_NS};
        final int[] next = {0, 0};
        final RxClock clock = new RxClock(() -> wall[next[1]++], () -> monotonic[next[0]++]);
        clock.refresh(0);

        assertEquals(2, next[1], "a second read after the preempted one");
        assertEquals(expectedNanoTime(0), clock.toNanoTime(STAMP_SECONDS, STAMP_NANOS), "the tight pair's offset");
    }

    @Test
    void theSystemClockReadsTheWallClockThroughLibc()
    {
        final RxClock clock = RxClock.system();
        final long beforeMs = System.currentTimeMillis();
        final long nanoTime = System.nanoTime();
        clock.refresh(nanoTime);
        // A stamp taken "now" by the wall clock converts to about now in nanoTime: within a generous minute, which
        // only a wrong struct layout or clock id would miss.
        final long now = clock.toNanoTime(beforeMs / 1000, beforeMs % 1000 * 1_000_000);
        assertTrue(Math.abs(now - nanoTime) < TimeUnit.MINUTES.toNanos(1), "converted " + now + " vs " + nanoTime);
    }
}
