package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.picksCountingActive;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ShortestExpectedDelaySchedulerTest
{
    @Test
    void countsTheIncomingConnectionSoAnIdleHeavierServerWins()
    {
        // (0+1)*2 > (0+1)*1: B. wlc would keep A (0*2 > 0*1 is false).
        assertEquals("B", picks(new ShortestExpectedDelayScheduler(withWeights(1, 2)), 1));
    }

    @Test
    void scriptedSequenceFollowsTheKernelsCrossMultiplication()
    {
        // A(1) B(2): B (1*2>1*1), A (1*2>2*1 no), B (2*2>2*1), B (2*2>3*1), A (2*2>4*1 no), B (3*2>4*1).
        assertEquals("BABBAB", picksCountingActive(new ShortestExpectedDelayScheduler(withWeights(1, 2)), 6));
    }

    @Test
    void ignoresInactiveConnections()
    {
        final RealServer[] servers = withWeights(1, 1);
        servers[0].addInactiveConns(1000);
        assertEquals("A", picks(new ShortestExpectedDelayScheduler(servers), 1));
    }

    @Test
    void skipsQuiescedOverloadedAndUnavailableServers()
    {
        final RealServer[] servers = withWeights(0, 3, 1, 1);
        servers[1].overloaded(true);
        servers[2].enabled(false);
        servers[3].addActiveConns(50);
        assertEquals("D", picks(new ShortestExpectedDelayScheduler(servers), 1));
        servers[3].weight(0);
        assertEquals("-", picks(new ShortestExpectedDelayScheduler(servers), 1));
    }
}
