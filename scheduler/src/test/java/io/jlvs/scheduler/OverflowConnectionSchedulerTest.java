package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.picksCountingActive;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OverflowConnectionSchedulerTest
{
    @Test
    void overflowsToTheNextWeightOnceActiveConnectionsExceedTheWeight()
    {
        // A takes active 0, 1, 2 (skipped only when active > weight), then B takes 0, 1, then none is left.
        assertEquals("AAABB-", picksCountingActive(new OverflowConnectionScheduler(withWeights(2, 1)), 6));
    }

    @Test
    void inactiveConnectionsDoNotOverflow()
    {
        final RealServer[] servers = withWeights(1, 1);
        servers[0].addInactiveConns(10);
        assertEquals("A", picks(new OverflowConnectionScheduler(servers), 1));
    }

    @Test
    void skipsQuiescedOverloadedAndUnavailableServers()
    {
        final RealServer[] servers = withWeights(0, 5, 4, 1);
        servers[1].overloaded(true);
        servers[2].enabled(false);
        assertEquals("D", picks(new OverflowConnectionScheduler(servers), 1));
    }
}
