package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WeightedRoundRobinSchedulerTest
{
    @Test
    void givesEachServerItsWeightPerRoundInKernelOrder()
    {
        // cw=4: A; cw=3: A B; cw=2: A B C; cw=1: A B C.
        assertEquals("AABABCABC" + "AABABCABC", picks(new WeightedRoundRobinScheduler(withWeights(4, 3, 2)), 18));
    }

    @Test
    void stepsByTheGcdOfTheWeights()
    {
        // di=2, mw=6-(2-1)=5: cw=5: A; cw=3: A B; cw=1: A B C.
        assertEquals("AABABC" + "AABABC", picks(new WeightedRoundRobinScheduler(withWeights(6, 4, 2)), 12));
        // di=2, mw=3: cw=3: A; cw=1: A B.
        assertEquals("AAB" + "AAB", picks(new WeightedRoundRobinScheduler(withWeights(4, 2)), 6));
    }

    @Test
    void neverPicksAQuiescedServer()
    {
        assertEquals("AACAAC", picks(new WeightedRoundRobinScheduler(withWeights(2, 0, 1)), 6));
    }

    @Test
    void skipsOverloadedAndUnavailableServers()
    {
        final RealServer[] servers = withWeights(1, 2, 1);
        servers[1].overloaded(true);
        final WeightedRoundRobinScheduler wrr = new WeightedRoundRobinScheduler(servers);
        assertEquals("ACAC", picks(wrr, 4));
        servers[1].overloaded(false);
        servers[0].neighbourReachable(false);
        // The last pick was C at cw=1; the next round starts at cw=2.
        assertEquals("BBCBBC", picks(wrr, 6));
    }

    @Test
    void returnsNullWhenEveryWeightIsZero()
    {
        assertEquals("---", picks(new WeightedRoundRobinScheduler(withWeights(0, 0)), 3));
        assertEquals("-", picks(new WeightedRoundRobinScheduler(new RealServer[0]), 1));
    }

    @Test
    void searchFromMidListThatFindsNothingStopsThenResumes()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        final WeightedRoundRobinScheduler wrr = new WeightedRoundRobinScheduler(servers);
        assertEquals("A", picks(wrr, 1));
        for (final RealServer server : servers)
        {
            server.overloaded(true);
        }
        assertEquals("--", picks(wrr, 2));
        servers[2].overloaded(false);
        assertEquals("CC", picks(wrr, 2));
    }

    @Test
    void firstPicksAfterAWeightChangeKeepTheCurrentWeight()
    {
        final RealServer[] servers = withWeights(4, 3, 2);
        final Scheduler before = Schedulers.create("wrr", servers, SchedulerFlags.NONE);
        assertEquals("AAB", picks(before, 3));   // cw is now 3
        servers[2].weight(4);
        final Scheduler after = Schedulers.create("wrr", servers, SchedulerFlags.NONE, before);
        // From the head at cw=3: A B C; cw=2: A B C; cw=1: A B C; then a new round at cw=4: A C.
        assertEquals("ABCABCABCAC", picks(after, 11));
        // A new service instead starts a round at cw=4.
        assertEquals("ACABC", picks(Schedulers.create("wrr", servers, SchedulerFlags.NONE), 5));
    }

    @Test
    void weightChangeRoundsTheCurrentWeightToTheNewGcd()
    {
        final RealServer[] servers = withWeights(2, 1);
        final Scheduler before = Schedulers.create("wrr", servers, SchedulerFlags.NONE);
        assertEquals("AA", picks(before, 2));   // cw is now 1
        servers[0].weight(4);
        servers[1].weight(2);
        final WeightedRoundRobinScheduler after =
            (WeightedRoundRobinScheduler)Schedulers.create("wrr", servers, SchedulerFlags.NONE, before);
        // di=2, mw=3; cw=1 stays at (1/2)*2+1 = 1: A B, then cw=3: A, cw=1: A B.
        assertEquals(1, after.currentWeight());
        assertEquals("ABAAB", picks(after, 5));
    }

    @Test
    void weightChangeClampsTheCurrentWeightToTheNewMaximum()
    {
        final RealServer[] servers = withWeights(5, 1);
        final Scheduler before = Schedulers.create("wrr", servers, SchedulerFlags.NONE);
        assertEquals("A", picks(before, 1));   // cw is still 5
        servers[0].weight(2);
        final WeightedRoundRobinScheduler after =
            (WeightedRoundRobinScheduler)Schedulers.create("wrr", servers, SchedulerFlags.NONE, before);
        assertEquals(2, after.currentWeight());
        assertEquals("AAB", picks(after, 3));
    }
}
