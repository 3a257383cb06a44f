package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Converts the receive stamps the kernel writes into the RX ring ({@code tp_sec}/{@code tp_nsec}: wall-clock time,
 * {@code CLOCK_REALTIME}) into the {@link System#nanoTime()} domain ({@code CLOCK_MONOTONIC}) the rest of jlvs
 * measures in, so that the director's latency can start where the frame really arrived rather than where the capture
 * thread first saw it (a TPACKET_V3 frame may wait in its block for the block timeout before that).
 * <p>
 * The offset between the two clocks is read again every {@link #REFRESH_INTERVAL_NS}: NTP slews the wall clock by at
 * most 500 ppm, so between reads the conversion drifts by at most 50 µs and in practice by well under a microsecond; a
 * step of the wall clock shows for one interval at most. Capture thread only.
 */
final class RxClock
{
    /** How often the offset is read: one native call per 100 ms of capture. */
    static final long REFRESH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Reads of the wall clock per refresh, at most; the first whose window is {@link #GOOD_WINDOW_NS} ends it. */
    private static final int OFFSET_ATTEMPTS = 5;
    /** A wall-clock read bracketed this tightly by the monotonic reads was not preempted. */
    private static final long GOOD_WINDOW_NS = TimeUnit.MICROSECONDS.toNanos(5);
    /** {@code CLOCK_REALTIME}, the clock {@code tpacket_rcv} stamps frames with unless hardware stamps are asked for. */
    private static final int CLOCK_REALTIME = 0;
    /** {@code struct timespec} on LP64: {@code tv_sec} then {@code tv_nsec}, 8 bytes each. */
    private static final int TIMESPEC_LENGTH = 16;
    private static final int TV_NSEC_OFFSET = 8;

    /** Reads {@code CLOCK_REALTIME} in nanoseconds, or a negative value when it cannot. */
    @FunctionalInterface
    interface WallClock
    {
        long realtimeNs();
    }

    private final WallClock wallClock;
    private final LongSupplier monotonicClock;
    private long offsetNs;
    private long refreshedAtNs;
    private boolean valid;

    /**
     * @param wallClock      reads CLOCK_REALTIME.
     * @param monotonicClock reads the nanoTime domain (System::nanoTime, or a test's clock).
     */
    RxClock(final WallClock wallClock, final LongSupplier monotonicClock)
    {
        this.wallClock = wallClock;
        this.monotonicClock = monotonicClock;
    }

    /** Reads the wall clock with {@code clock_gettime(CLOCK_REALTIME)} into a buffer of its own. */
    static RxClock system()
    {
        final UnsafeBuffer timespec = new UnsafeBuffer(BufferUtil.allocateDirectAligned(TIMESPEC_LENGTH, TIMESPEC_LENGTH));
        return new RxClock(() -> LibC.clock_gettime(CLOCK_REALTIME, timespec.addressOffset()) == 0 ?
            timespec.getLong(0) * NANOS_PER_SECOND + timespec.getLong(TV_NSEC_OFFSET) : -1, System::nanoTime);
    }

    /** Reads the offset again when it is older than {@link #REFRESH_INTERVAL_NS}; {@code nowNs} is nanoTime. */
    void refresh(final long nowNs)
    {
        if (valid && nowNs - refreshedAtNs < REFRESH_INTERVAL_NS)
        {
            return;
        }
        // The wall clock is read between two monotonic reads; a thread preempted in between would skew the offset by
        // the time it was off the CPU, so the tightest of a few tries is kept.
        long bestWindowNs = Long.MAX_VALUE;
        for (int attempt = 0; attempt < OFFSET_ATTEMPTS && bestWindowNs > GOOD_WINDOW_NS; attempt++)
        {
            final long beforeNs = monotonicClock.getAsLong();
            final long realtimeNs = wallClock.realtimeNs();
            final long afterNs = monotonicClock.getAsLong();
            if (realtimeNs > 0 && afterNs - beforeNs < bestWindowNs)
            {
                bestWindowNs = afterNs - beforeNs;
                offsetNs = realtimeNs - (beforeNs + (afterNs - beforeNs) / 2);
                valid = true;
            }
        }
        refreshedAtNs = nowNs;
    }

    /**
     * A ring stamp ({@code tp_sec}, {@code tp_nsec}) in the nanoTime domain, or {@code FrameSink.NO_RX_TIMESTAMP}
     * before the wall clock could first be read.
     */
    long toNanoTime(final long seconds, final long nanos)
    {
        return valid ? seconds * NANOS_PER_SECOND + nanos - offsetNs : FrameSink.NO_RX_TIMESTAMP;
    }
}
