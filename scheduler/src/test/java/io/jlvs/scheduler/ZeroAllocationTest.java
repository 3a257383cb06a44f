package io.jlvs.scheduler;

import io.jlvs.fixtures.Allocations;
import org.junit.jupiter.api.Test;

import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every registered scheduler's select (and expire) allocates nothing, on every path the loop drives. */
class ZeroAllocationTest
{
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 100_000;
    private static final int UPPER_THRESHOLD = 20;
    /** A one-off (a class initialised, a deoptimisation) may land in one window; allocating code shows in all. */
    private static final int WINDOWS = 3;

    private static long drive(final Scheduler scheduler, final RealServer[] servers, final int count, final int seed)
    {
        long picked = 0;
        for (int i = 0; i < count; i++)
        {
            final int n = seed + i;
            // Vary clients, destinations and loads so that caches insert, hit, replace and fill up.
            final RealServer server = scheduler.select(6, 0xC6120000 + n * 7, n & 0xFFFF, 0xC6130000 + (n & 0x3FFF), 80);
            if (server != null)
            {
                server.addActiveConns(1);
                picked += server.id();
            }
            // Close one connection per pick, round the servers, so loads hover about the thresholds.
            final RealServer other = servers[n % servers.length];
            if (other.activeConns() > 0)
            {
                other.addActiveConns(-1);
            }
            scheduler.expire(n);
        }
        return picked;
    }

    @Test
    void localityCachesAllocateNothingWhileTheyFillExpireAndCollect()
    {
        assumeTrue(Allocations.supported(), "thread allocation accounting unsupported");
        final TestClock clock = new TestClock();
        final RealServer[] servers = Servers.withWeights(1, 2, 3, 0, 5);
        final Scheduler[] schedulers = {
            new LocalityBasedLeastConnectionScheduler.Factory(clock, 20_000, 10 * TestClock.MINUTE_NS)
                .create(servers, SchedulerFlags.NONE),
            new LocalityBasedLeastConnectionReplicationScheduler.Factory(clock, 20_000, 10 * TestClock.MINUTE_NS)
                .create(servers, SchedulerFlags.NONE)};
        for (final Scheduler scheduler : schedulers)
        {
            final IntConsumer picks = window ->
            {
                for (int i = 0; i < MEASURED; i++)
                {
                    // A minute every 500 picks: timer runs, over-max collection and full checks all happen.
                    clock.nowNs += TestClock.MINUTE_NS / 500;
                    final RealServer server = scheduler.select(6, i, i, 0xC6130000 + (i * 31 & 0x7FFF), 80);
                    if (server != null && (i & 1) == 0)
                    {
                        server.addActiveConns(1);
                    }
                }
            };
            picks.accept(-1);   // warm-up: the caches fill for the first time
            final Allocations.Windows windows = Allocations.fewestOver(WINDOWS, picks);
            assertEquals(0, windows.fewest(), scheduler.name() + " allocated per window: " + windows.perWindow());
        }
    }

    @Test
    void selectAllocatesNothing()
    {
        assumeTrue(Allocations.supported(), "thread allocation accounting unsupported");
        for (final String name : Schedulers.names())
        {
            final RealServer[] servers = Servers.withWeights(1, 2, 3, 0, 5);
            for (final RealServer server : servers)
            {
                server.upperThreshold(UPPER_THRESHOLD);
            }
            final Scheduler scheduler =
                Schedulers.create(name, servers, SchedulerFlags.parse("sh-fallback,sh-port"));
            final long[] sink = {drive(scheduler, servers, WARM_UP, 0)};
            final Allocations.Windows windows = Allocations.fewestOver(WINDOWS,
                window -> sink[0] += drive(scheduler, servers, MEASURED, WARM_UP + window * MEASURED));
            assertEquals(0, windows.fewest(),
                name + " allocated per window: " + windows.perWindow() + " (sink " + sink[0] + ")");
        }
    }
}
