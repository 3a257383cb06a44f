package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.picksCountingActive;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NeverQueueSchedulerTest
{
    @Test
    void takesTheFirstIdleServerWhateverItsWeight()
    {
        final RealServer[] servers = withWeights(1, 1, 100);
        servers[0].addActiveConns(1);
        servers[1].addInactiveConns(7);
        assertEquals("B", picks(new NeverQueueScheduler(servers), 1), "inactive connections do not make it busy");
    }

    @Test
    void withoutAnIdleServerUsesTheShortestExpectedDelay()
    {
        final RealServer[] servers = withWeights(1, 3);
        servers[0].addActiveConns(1);
        servers[1].addActiveConns(2);
        // (1+1)*3 > (2+1)*1: B.
        assertEquals("B", picks(new NeverQueueScheduler(servers), 1));
    }

    @Test
    void scriptedSequenceFillsIdleServersFirst()
    {
        // A idle, B idle, then sed: B (2*2>2*1), B (2*2>3*1), A (2*2>4*1 no).
        assertEquals("ABBBA", picksCountingActive(new NeverQueueScheduler(withWeights(1, 2)), 5));
    }

    @Test
    void idleButQuiescedOrOverloadedServersAreSkipped()
    {
        final RealServer[] servers = withWeights(0, 1, 1);
        servers[1].overloaded(true);
        servers[2].addActiveConns(4);
        assertEquals("C", picks(new NeverQueueScheduler(servers), 1));
        servers[2].neighbourReachable(false);
        assertEquals("-", picks(new NeverQueueScheduler(servers), 1));
    }
}
