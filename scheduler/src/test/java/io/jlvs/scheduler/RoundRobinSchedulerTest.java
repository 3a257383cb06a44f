package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RoundRobinSchedulerTest
{
    @Test
    void picksServersInListOrderAndWrapsRound()
    {
        assertEquals("ABCABCA", picks(new RoundRobinScheduler(withWeights(1, 5, 1)), 7));
    }

    @Test
    void skipsQuiescedServer()
    {
        assertEquals("ACAC", picks(new RoundRobinScheduler(withWeights(1, 0, 1)), 4));
    }

    @Test
    void skipsOverloadedAndUnavailableServers()
    {
        final RealServer[] servers = withWeights(1, 1, 1, 1);
        servers[1].overloaded(true);
        servers[2].enabled(false);
        servers[3].neighbourReachable(false);
        assertEquals("AAA", picks(new RoundRobinScheduler(servers), 3));
    }

    @Test
    void returnsNullWhenEveryServerIsQuiescedOrEmpty()
    {
        assertEquals("--", picks(new RoundRobinScheduler(withWeights(0, 0)), 2));
        assertNull(new RoundRobinScheduler(new RealServer[0]).select(6, 1, 2, 3, 4));
    }

    @Test
    void comesBackRoundToTheLastPickedServerWhenItIsTheOnlyOneLeft()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        final RoundRobinScheduler rr = new RoundRobinScheduler(servers);
        assertEquals("AB", picks(rr, 2));
        servers[0].weight(0);
        servers[2].weight(0);
        assertEquals("BB", picks(rr, 2));
        servers[1].weight(0);
        assertEquals("-", picks(rr, 1));
        servers[2].weight(1);
        assertEquals("CC", picks(rr, 2));
    }

    @Test
    void rebuildAfterWeightChangeContinuesAfterTheLastPick()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        final Scheduler before = Schedulers.create("rr", servers, SchedulerFlags.NONE);
        assertEquals("AB", picks(before, 2));
        servers[0].weight(3);
        final Scheduler after = Schedulers.create("rr", servers, SchedulerFlags.NONE, before);
        assertEquals("CAB", picks(after, 3));
    }

    @Test
    void rebuildWithoutTheLastPickedServerContinuesAfterItsPredecessor()
    {
        final RealServer[] servers = withWeights(1, 1, 1, 1);
        final Scheduler before = Schedulers.create("rr", servers, SchedulerFlags.NONE);
        assertEquals("ABC", picks(before, 3));
        final RealServer[] withoutBAndC = {servers[0], servers[3]};
        final Scheduler after = Schedulers.create("rr", withoutBAndC, SchedulerFlags.NONE, before);
        assertEquals("DAD", picks(after, 3));
    }

    @Test
    void freshInstanceStartsAtTheHead()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        final Scheduler before = Schedulers.create("rr", servers, SchedulerFlags.NONE);
        assertEquals("AB", picks(before, 2));
        assertEquals("ABC", picks(Schedulers.create("rr", servers, SchedulerFlags.NONE), 3));
    }
}
