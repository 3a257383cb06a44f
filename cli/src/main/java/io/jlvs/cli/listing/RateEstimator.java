package io.jlvs.cli.listing;

import java.util.concurrent.TimeUnit;

/**
 * IPVS's rate estimator ({@code ip_vs_est.c}) for one set of counters: every 2 seconds, the counters' growth since
 * the last sample, as a per-second rate in fixed point, moves an exponentially weighted moving average a quarter of
 * the way towards it. Connection and packet rates are kept scaled by 2^10, byte rates by 2^5, and decoded with
 * rounding, exactly as the kernel does; so {@code jlvs list --rate} shows what {@code ipvsadm -L --rate} would.
 * <p>
 * The kernel's timer fires every 2 s and assumes it did; a control-plane timer may be late, so a sample's growth is
 * scaled to a 2-second interval by the time that really passed (with an on-time sample, exactly the kernel's
 * arithmetic). The caller passes the time in; one thread at a time.
 */
final class RateEstimator
{
    /** The kernel's estimation period: {@code 2 * HZ}. */
    static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);
    /** Per second, scaled by 2^10, from a 2-second growth: shift left by 10 - 1. */
    private static final int COUNT_SHIFT = 9;
    /** Bytes per second, scaled by 2^5, from a 2-second growth: shift left by 5 - 1. */
    private static final int BYTES_SHIFT = 4;
    /** The average moves a quarter of the way to the new rate: {@code avg += (rate - avg) >> 2}. */
    private static final int WEIGHT_SHIFT = 2;
    /** Decoding: {@code (x + 0x1FF) >> 10} for counts and {@code (x + 0xF) >> 5} for bytes round to nearest. */
    private static final int COUNT_SCALE_SHIFT = 10;
    private static final long COUNT_ROUNDING = 0x1FF;
    private static final int BYTES_SCALE_SHIFT = 5;
    private static final long BYTES_ROUNDING = 0xF;

    private long cps;
    private long inPps;
    private long outPps;
    private long inBps;
    private long outBps;
    private long lastConns;
    private long lastInPkts;
    private long lastOutPkts;
    private long lastInBytes;
    private long lastOutBytes;
    private long lastNs;

    /** An estimator that starts from the counters it first sees, at rate 0 (the kernel's start, for new counters). */
    RateEstimator(final Stats counters, final long nowNs)
    {
        remember(counters);
        lastNs = nowNs;
    }

    /** When the last sample was taken. */
    long lastNs()
    {
        return lastNs;
    }

    /** One estimation step with the counters as they are at {@code nowNs} ({@code estimation_timer}). */
    void sample(final Stats counters, final long nowNs)
    {
        final long elapsedNs = nowNs - lastNs;
        if (elapsedNs <= 0)
        {
            return;
        }
        cps += (rate(counters.conns() - lastConns, COUNT_SHIFT, elapsedNs) - cps) >> WEIGHT_SHIFT;
        inPps += (rate(counters.inPkts() - lastInPkts, COUNT_SHIFT, elapsedNs) - inPps) >> WEIGHT_SHIFT;
        outPps += (rate(counters.outPkts() - lastOutPkts, COUNT_SHIFT, elapsedNs) - outPps) >> WEIGHT_SHIFT;
        inBps += (rate(counters.inBytes() - lastInBytes, BYTES_SHIFT, elapsedNs) - inBps) >> WEIGHT_SHIFT;
        outBps += (rate(counters.outBytes() - lastOutBytes, BYTES_SHIFT, elapsedNs) - outBps) >> WEIGHT_SHIFT;
        remember(counters);
        lastNs = nowNs;
    }

    /** {@code ip_vs_zero_estimator}: rates back to 0, growth counted from {@code counters}. */
    void zero(final Stats counters)
    {
        cps = 0;
        inPps = 0;
        outPps = 0;
        inBps = 0;
        outBps = 0;
        remember(counters);
    }

    /** The decoded rates ({@code ip_vs_read_estimator}). */
    Rates rates()
    {
        return decode(cps, inPps, outPps, inBps, outBps);
    }

    /** The decoded sum of several estimators: a service's rates over its servers (the average is linear). */
    static Rates sum(final Iterable<RateEstimator> estimators)
    {
        long cps = 0;
        long inPps = 0;
        long outPps = 0;
        long inBps = 0;
        long outBps = 0;
        for (final RateEstimator e : estimators)
        {
            cps += e.cps;
            inPps += e.inPps;
            outPps += e.outPps;
            inBps += e.inBps;
            outBps += e.outBps;
        }
        return decode(cps, inPps, outPps, inBps, outBps);
    }

    private static Rates decode(final long cps, final long inPps, final long outPps, final long inBps,
        final long outBps)
    {
        return new Rates(
            (cps + COUNT_ROUNDING) >> COUNT_SCALE_SHIFT,
            (inPps + COUNT_ROUNDING) >> COUNT_SCALE_SHIFT,
            (outPps + COUNT_ROUNDING) >> COUNT_SCALE_SHIFT,
            (inBps + BYTES_ROUNDING) >> BYTES_SCALE_SHIFT,
            (outBps + BYTES_ROUNDING) >> BYTES_SCALE_SHIFT);
    }

    /** The growth {@code delta} over {@code elapsedNs} as the kernel's scaled rate for a 2-second interval. */
    private static long rate(final long delta, final int shift, final long elapsedNs)
    {
        if (elapsedNs == INTERVAL_NS)
        {
            return delta << shift;
        }
        return Math.round((double)(delta << shift) * INTERVAL_NS / elapsedNs);
    }

    private void remember(final Stats counters)
    {
        lastConns = counters.conns();
        lastInPkts = counters.inPkts();
        lastOutPkts = counters.outPkts();
        lastInBytes = counters.inBytes();
        lastOutBytes = counters.outBytes();
    }
}
