package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.picksCountingActive;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class WeightedLeastConnectionSchedulerTest
{
    @Test
    void forwardsToFirstServerWhenLoadsAreEqual()
    {
        assertEquals("AAA", picks(new WeightedLeastConnectionScheduler(withWeights(1, 1, 1)), 3));
    }

    @Test
    void forwardsSynToLeastLoadedServerPerUnitOfWeight()
    {
        final RealServer[] servers = withWeights(1, 2);
        servers[0].addActiveConns(1);
        servers[1].addActiveConns(1);
        // 256 * 2 > 256 * 1: B carries less per unit of weight.
        assertSame(servers[1], new WeightedLeastConnectionScheduler(servers).select(6, 1, 2, 3, 4));
    }

    @Test
    void countsAnActiveConnectionAs256Inactive()
    {
        final RealServer[] servers = withWeights(1, 1);
        servers[0].addActiveConns(1);
        servers[1].addInactiveConns(255);
        final WeightedLeastConnectionScheduler wlc = new WeightedLeastConnectionScheduler(servers);
        assertEquals("B", picks(wlc, 1));
        servers[1].addInactiveConns(1);
        assertEquals("A", picks(wlc, 1), "a tie keeps the earlier server");
    }

    @Test
    void scriptedSequenceFollowsTheKernelsCrossMultiplication()
    {
        // Each pick opens an active connection: A(3) B(1) -> overheads 0/0 A, 256/0 B, 256/256 A, 512/256 A,
        // 768/256 A (768*1 > 256*3 is false), 1024/256 B, ...
        assertEquals("ABAAABAAAB", picksCountingActive(new WeightedLeastConnectionScheduler(withWeights(3, 1)), 10));
    }

    @Test
    void startsFromFirstUsableServerAndSkipsQuiescedOverloadedUnavailable()
    {
        final RealServer[] servers = withWeights(0, 1, 1, 1, 1);
        servers[1].overloaded(true);
        servers[1].addActiveConns(0);
        servers[2].enabled(false);
        servers[3].addActiveConns(2);
        servers[4].addActiveConns(1);
        assertEquals("E", picks(new WeightedLeastConnectionScheduler(servers), 1));
        servers[4].neighbourReachable(false);
        assertEquals("D", picks(new WeightedLeastConnectionScheduler(servers), 1));
    }

    @Test
    void quiescedServerNeverWinsEvenWhenIdle()
    {
        final RealServer[] servers = withWeights(1, 0);
        servers[0].addActiveConns(100);
        assertEquals("AA", picks(new WeightedLeastConnectionScheduler(servers), 2));
        servers[0].weight(0);
        assertEquals("-", picks(new WeightedLeastConnectionScheduler(servers), 1));
    }

    @Test
    void firstPicksAfterAWeightChangeUseTheNewWeights()
    {
        final RealServer[] servers = withWeights(1, 1);
        final Scheduler before = Schedulers.create("wlc", servers, SchedulerFlags.NONE);
        assertEquals("ABAB", picksCountingActive(before, 4));
        servers[1].weight(3);
        final Scheduler after = Schedulers.create("wlc", servers, SchedulerFlags.NONE, before);
        // A=512/1, B=512/3: B until 512*3 <= B's overhead, i.e. B gets three more first.
        assertEquals("BBBBA", picksCountingActive(after, 5));
    }
}
