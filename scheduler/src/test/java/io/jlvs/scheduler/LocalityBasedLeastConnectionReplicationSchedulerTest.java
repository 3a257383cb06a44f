package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.CLIENT;
import static io.jlvs.scheduler.Servers.TCP;
import static io.jlvs.scheduler.Servers.VIP;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class LocalityBasedLeastConnectionReplicationSchedulerTest
{
    private static final int V1 = VIP;
    private static final long TEN_MINUTES_NS = 10 * TestClock.MINUTE_NS;

    private final TestClock clock = new TestClock();
    private final LocalityBasedLeastConnectionReplicationScheduler.Factory factory =
        new LocalityBasedLeastConnectionReplicationScheduler.Factory(clock, 1024, TEN_MINUTES_NS);

    private static RealServer to(final Scheduler scheduler, final int vaddr)
    {
        return scheduler.select(TCP, CLIENT, 40000, vaddr, 80);
    }

    private static LocalityBasedLeastConnectionReplicationScheduler lblcr(final Scheduler scheduler)
    {
        return (LocalityBasedLeastConnectionReplicationScheduler)scheduler;
    }

    /** A (1) and B (4); V1's set grows to {B, A} because A got busy while B was under half its weight. */
    private Scheduler replicated(final RealServer[] servers)
    {
        final Scheduler scheduler = factory.create(servers, SchedulerFlags.NONE);
        assertSame(servers[0], to(scheduler, V1));
        assertArrayEquals(new RealServer[] {servers[0]}, lblcr(scheduler).members(V1));
        servers[0].addActiveConns(2);
        servers[1].addActiveConns(1);
        clock.atMinute(1);
        // A is the set's least loaded, but 2 > 1 and B has 1 * 2 < 4: the wlc pick B (512*4 > 256*1) joins.
        assertSame(servers[1], to(scheduler, V1));
        assertArrayEquals(new RealServer[] {servers[1], servers[0]}, lblcr(scheduler).members(V1));
        return scheduler;
    }

    @Test
    void busyMemberReplicatesTheAddressToTheWlcPickNewestFirst()
    {
        final RealServer[] servers = withWeights(1, 4);
        final Scheduler scheduler = replicated(servers);
        // The set's weighted least-connection member: B (256/4) before A (512/1).
        assertSame(servers[1], to(scheduler, V1));
        assertEquals(2, lblcr(scheduler).members(V1).length);
    }

    @Test
    void setShrinksByItsMostLoadedMemberOnlyAfterTheExpiration()
    {
        final RealServer[] servers = withWeights(1, 4);
        final Scheduler scheduler = replicated(servers);
        clock.atMinute(11);
        assertSame(servers[1], to(scheduler, V1));
        assertEquals(2, lblcr(scheduler).members(V1).length, "exactly the expiration is not after it");
        clock.nowNs += 1;
        assertSame(servers[1], to(scheduler, V1));
        assertArrayEquals(new RealServer[] {servers[1]}, lblcr(scheduler).members(V1),
            "A (512 per unit of weight) was the most loaded");
    }

    @Test
    void membersRemovedFromTheServiceAreSkippedAfterARebuild()
    {
        final RealServer[] servers = withWeights(1, 4);
        final Scheduler before = replicated(servers);
        final Scheduler after = factory.create(new RealServer[] {servers[0]}, SchedulerFlags.NONE, before);
        // B is no longer in the service; A (2 > 1, but nobody is under half its weight) is kept.
        assertSame(servers[0], to(after, V1));
        assertEquals(2, lblcr(after).members(V1).length, "the set survives the rebuild");
    }

    @Test
    void exhaustedMemberPoolStillSchedulesWithoutGrowingTheSet()
    {
        final RealServer[] servers = withWeights(1, 4, 4);
        // One address of capacity: a pool of two members.
        final Scheduler scheduler = new LocalityBasedLeastConnectionReplicationScheduler.Factory(
            clock, 1, TEN_MINUTES_NS).create(servers, SchedulerFlags.NONE);
        assertSame(servers[0], to(scheduler, V1));
        servers[0].addActiveConns(2);
        servers[1].addActiveConns(1);
        assertSame(servers[2], to(scheduler, V1), "wlc: C is idle");
        servers[2].addActiveConns(5);
        // The set {C, A}: C is least (1280*1 > 512*4 is false) but busy; wlc picks B, which finds no room.
        assertSame(servers[1], to(scheduler, V1));
        assertArrayEquals(new RealServer[] {servers[2], servers[0]}, lblcr(scheduler).members(V1));
    }

    @Test
    void unusedEntriesGoAtTheHalfHourlyFullCheck()
    {
        final RealServer[] servers = withWeights(1, 1);
        final LocalityBasedLeastConnectionReplicationScheduler scheduler =
            lblcr(factory.create(servers, SchedulerFlags.NONE));
        to(scheduler, V1);
        for (int minute = 1; minute <= 29; minute++)
        {
            scheduler.expire(clock.atMinute(minute).nowNs);
        }
        assertEquals(1, scheduler.cachedAddresses());
        scheduler.expire(clock.atMinute(30).nowNs);
        assertEquals(0, scheduler.cachedAddresses());
        assertSame(servers[0], to(scheduler, V1), "a new entry after expiry");
    }
}
