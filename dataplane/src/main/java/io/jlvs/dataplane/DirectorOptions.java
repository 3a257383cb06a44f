package io.jlvs.dataplane;

import io.jlvs.arp.NeighbourTimers;
import io.jlvs.conntrack.Timeouts;

import java.util.concurrent.TimeUnit;

/**
 * How a {@link Director} is sized and paced.
 *
 * @param ringSize           Disruptor slots (a power of two); each holds one frame of up to 64 KiB.
 * @param connectionCapacity the most connections + templates the table holds.
 * @param timeouts           connection timeouts per state (IPVS defaults, or {@code ipvsadm --set}).
 * @param neighbourTimers    ARP resolution pacing.
 * @param tickIntervalNs     how often the forwarding thread gets a housekeeping turn.
 * @param captureBatch       the most frames the capture thread takes per duty cycle.
 * @param waitStrategy       how the forwarding thread waits for frames: {@code block} (default: spins 10 µs, yields
 *                           100 µs, then blocks until the capture thread publishes; no CPU when idle, woken within
 *                           microseconds), {@code sleep} (spins, yields, then parks 50 µs at a time), {@code yield},
 *                           {@code busy} (lowest latency, burns a core).
 * @param expireQuiescentTemplate IPVS's {@code expire_quiescent_template}: a persistent client of a server quiesced
 *                           to weight 0 is scheduled afresh instead of staying (off by default, as in IPVS).
 * @param learnPeerDirectors a host that announces one of our VIPs is taken for the peer director of a pair and its
 *                           frames are never scheduled again (ping-pong protection; on by default).
 * @param answerArp          answer ARP for the VIPs and announce them: off for a backup director that keeps its
 *                           services loaded while the master owns the VIPs (keepalived's habit).
 */
public record DirectorOptions(
    int ringSize,
    int connectionCapacity,
    Timeouts timeouts,
    NeighbourTimers neighbourTimers,
    long tickIntervalNs,
    int captureBatch,
    String waitStrategy,
    boolean expireQuiescentTemplate,
    boolean learnPeerDirectors,
    boolean answerArp)
{
    public static final int DEFAULT_RING_SIZE = 512;
    public static final int DEFAULT_CONNECTION_CAPACITY = 1 << 20;
    public static final long DEFAULT_TICK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    public static final int DEFAULT_CAPTURE_BATCH = 256;

    public DirectorOptions
    {
        if (Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ring size must be a power of two, ringSize=" + ringSize);
        }
        if (connectionCapacity <= 0)
        {
            throw new IllegalArgumentException("connection capacity must be > 0, capacity=" + connectionCapacity);
        }
    }

    public static DirectorOptions defaults()
    {
        return new DirectorOptions(DEFAULT_RING_SIZE, DEFAULT_CONNECTION_CAPACITY, Timeouts.ipvsDefaults(),
            NeighbourTimers.DEFAULT, DEFAULT_TICK_INTERVAL_NS, DEFAULT_CAPTURE_BATCH, "block", false, true, true);
    }

    public DirectorOptions withRingSize(final int ringSize)
    {
        return new DirectorOptions(ringSize, connectionCapacity, timeouts, neighbourTimers, tickIntervalNs,
            captureBatch, waitStrategy, expireQuiescentTemplate, learnPeerDirectors, answerArp);
    }

    public DirectorOptions withConnectionCapacity(final int capacity)
    {
        return new DirectorOptions(ringSize, capacity, timeouts, neighbourTimers, tickIntervalNs, captureBatch,
            waitStrategy, expireQuiescentTemplate, learnPeerDirectors, answerArp);
    }

    public DirectorOptions withTimeouts(final Timeouts timeouts)
    {
        return new DirectorOptions(ringSize, connectionCapacity, timeouts, neighbourTimers, tickIntervalNs,
            captureBatch, waitStrategy, expireQuiescentTemplate, learnPeerDirectors, answerArp);
    }

    public DirectorOptions withExpireQuiescentTemplate(final boolean expire)
    {
        return new DirectorOptions(ringSize, connectionCapacity, timeouts, neighbourTimers, tickIntervalNs,
            captureBatch, waitStrategy, expire, learnPeerDirectors, answerArp);
    }

    public DirectorOptions withLearnPeerDirectors(final boolean learn)
    {
        return new DirectorOptions(ringSize, connectionCapacity, timeouts, neighbourTimers, tickIntervalNs,
            captureBatch, waitStrategy, expireQuiescentTemplate, learn, answerArp);
    }

    public DirectorOptions withAnswerArp(final boolean answer)
    {
        return new DirectorOptions(ringSize, connectionCapacity, timeouts, neighbourTimers, tickIntervalNs,
            captureBatch, waitStrategy, expireQuiescentTemplate, learnPeerDirectors, answer);
    }

    public DirectorOptions withWaitStrategy(final String waitStrategy)
    {
        return new DirectorOptions(ringSize, connectionCapacity, timeouts, neighbourTimers, tickIntervalNs,
            captureBatch, waitStrategy, expireQuiescentTemplate, learnPeerDirectors, answerArp);
    }
}
