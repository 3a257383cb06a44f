package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.CLIENT;
import static io.jlvs.scheduler.Servers.TCP;
import static io.jlvs.scheduler.Servers.VIP;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalityBasedLeastConnectionSchedulerTest
{
    private static final int V1 = VIP;
    private static final int V2 = VIP + 1;
    private static final long TEN_MINUTES_NS = 10 * TestClock.MINUTE_NS;

    private final TestClock clock = new TestClock();

    private Scheduler lblc(final RealServer[] servers, final int capacity, final long expirationNs)
    {
        return new LocalityBasedLeastConnectionScheduler.Factory(clock, capacity, expirationNs)
            .create(servers, SchedulerFlags.NONE);
    }

    private Scheduler lblc(final RealServer[] servers)
    {
        return lblc(servers, 1024, AddressCache.DEFAULT_EXPIRATION_NS);
    }

    private static RealServer to(final Scheduler scheduler, final int vaddr)
    {
        return scheduler.select(TCP, CLIENT, 40000, vaddr, 80);
    }

    @Test
    void destinationAddressSticksToItsServerWhereWlcWouldMoveIt()
    {
        final RealServer[] servers = withWeights(1, 1);
        final Scheduler lblc = lblc(servers);
        assertSame(servers[0], to(lblc, V1));
        servers[0].addActiveConns(1);
        assertSame(servers[0], to(lblc, V1));
        assertSame(servers[1], to(lblc, V2), "a new address gets the wlc pick");
    }

    @Test
    void busyCachedServerMovesOnlyWhenAnotherIsUnderHalfItsWeight()
    {
        final RealServer[] servers = withWeights(1, 4);
        final Scheduler lblc = lblc(servers);
        assertSame(servers[0], to(lblc, V1));
        servers[0].addActiveConns(2);
        servers[1].addActiveConns(2);
        assertSame(servers[0], to(lblc, V1), "A has active > weight but B is not under half its weight");
        servers[1].addActiveConns(-1);
        assertSame(servers[1], to(lblc, V1), "B (1 * 2 < 4) can take it: re-placed by wlc");
        servers[1].addActiveConns(10);
        assertSame(servers[1], to(lblc, V1), "the entry now names B");
    }

    @Test
    void connectionThresholdOverloadDoesNotInvalidateTheEntry()
    {
        final RealServer[] servers = withWeights(1, 1);
        final Scheduler lblc = lblc(servers);
        assertSame(servers[0], to(lblc, V1));
        servers[0].overloaded(true);
        assertSame(servers[0], to(lblc, V1), "ip_vs_lblc_schedule checks lblc's own overload test only");
        assertSame(servers[1], to(lblc, V2));
    }

    @Test
    void quiescedOrUnavailableCachedServerIsReplacedForGood()
    {
        final RealServer[] servers = withWeights(1, 1);
        final Scheduler lblc = lblc(servers);
        assertSame(servers[0], to(lblc, V1));
        servers[0].weight(0);
        assertSame(servers[1], to(lblc, V1));
        servers[0].weight(1);
        servers[1].addActiveConns(1);
        assertSame(servers[1], to(lblc, V1), "wlc would now pick the idle A");
        servers[1].neighbourReachable(false);
        assertSame(servers[0], to(lblc, V1));
    }

    @Test
    void unusedEntriesGoAtTheHalfHourlyFullCheck()
    {
        final RealServer[] servers = withWeights(1, 1);
        final LocalityBasedLeastConnectionScheduler lblc =
            (LocalityBasedLeastConnectionScheduler)lblc(servers, 1024, TEN_MINUTES_NS);
        to(lblc, V1);
        to(lblc, V2);
        for (int minute = 1; minute <= 29; minute++)
        {
            lblc.expire(clock.atMinute(minute).nowNs);
            if (minute == 25)
            {
                to(lblc, V2);
            }
        }
        assertEquals(2, lblc.cachedAddresses(), "only every 30th check is a full one");
        lblc.expire(clock.atMinute(30).nowNs);
        assertEquals(1, lblc.cachedAddresses(), "V1 idle for 30 min went, V2 used at 25 stays");
        for (int minute = 31; minute <= 60; minute++)
        {
            lblc.expire(clock.atMinute(minute).nowNs);
        }
        assertEquals(0, lblc.cachedAddresses());
    }

    @Test
    void overMaxSizeTheCheckDropsEntriesIdleForSixMinutesUpToItsGoal()
    {
        final int addresses = 20_000;
        final LocalityBasedLeastConnectionScheduler lblc = (LocalityBasedLeastConnectionScheduler)lblc(
            withWeights(1, 1), addresses, AddressCache.DEFAULT_EXPIRATION_NS);
        for (int i = 0; i < addresses; i++)
        {
            to(lblc, V1 + i);
        }
        assertEquals(addresses, lblc.cachedAddresses());
        lblc.expire(clock.atMinute(5).nowNs);
        assertEquals(addresses, lblc.cachedAddresses(), "nothing is six minutes idle yet");
        lblc.expire(clock.atMinute(7).nowNs);
        final int goal = (addresses - AddressCache.MAX_SIZE) * 4 / 3;
        final int dropped = addresses - lblc.cachedAddresses();
        // Whole buckets go until the goal is met; about 20 entries share a bucket.
        assertTrue(dropped >= goal && dropped < goal + 100, "dropped " + dropped + ", goal " + goal);
    }

    @Test
    void fullCacheStillSchedulesNewAddressesWithoutCachingThem()
    {
        final LocalityBasedLeastConnectionScheduler lblc = (LocalityBasedLeastConnectionScheduler)lblc(
            withWeights(1, 1), 2, AddressCache.DEFAULT_EXPIRATION_NS);
        to(lblc, V1);
        to(lblc, V2);
        assertNotNull(to(lblc, V2 + 1));
        assertEquals(2, lblc.cachedAddresses());
    }

    @Test
    void rebuildAfterAWeightChangeKeepsTheCache()
    {
        final RealServer[] servers = withWeights(1, 1);
        final LocalityBasedLeastConnectionScheduler.Factory factory =
            new LocalityBasedLeastConnectionScheduler.Factory(clock, 1024, AddressCache.DEFAULT_EXPIRATION_NS);
        final Scheduler before = factory.create(servers, SchedulerFlags.NONE);
        assertSame(servers[0], to(before, V1));
        servers[0].addActiveConns(1);
        servers[1].weight(3);
        final Scheduler after = factory.create(servers, SchedulerFlags.NONE, before);
        assertSame(servers[0], to(after, V1), "the cached entry survives the rebuild");
        assertSame(servers[1], to(factory.create(servers, SchedulerFlags.NONE), V1), "a new service uses wlc");
        final Scheduler withoutA = factory.create(new RealServer[] {servers[1]}, SchedulerFlags.NONE, after);
        assertSame(servers[1], to(withoutA, V1), "an entry naming a removed server is re-placed");
    }
}
