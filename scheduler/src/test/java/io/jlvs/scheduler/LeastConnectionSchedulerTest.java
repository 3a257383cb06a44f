package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.picksCountingActive;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LeastConnectionSchedulerTest
{
    @Test
    void forwardsToLeastOverheadWhateverTheWeights()
    {
        final RealServer[] servers = withWeights(1, 5);
        servers[0].addActiveConns(1);
        servers[1].addActiveConns(2);
        assertEquals("A", picks(new LeastConnectionScheduler(servers), 1));
        servers[0].addInactiveConns(300);
        assertEquals("B", picks(new LeastConnectionScheduler(servers), 1), "256 + 300 > 512");
    }

    @Test
    void scriptedSequenceSpreadsEvenlyWithTiesToTheFirst()
    {
        assertEquals("ABCABCA", picksCountingActive(new LeastConnectionScheduler(withWeights(1, 9, 3)), 7));
    }

    @Test
    void skipsQuiescedOverloadedAndUnavailableServers()
    {
        final RealServer[] servers = withWeights(0, 1, 1, 1);
        servers[1].overloaded(true);
        servers[2].neighbourReachable(false);
        servers[3].addActiveConns(10);
        assertEquals("DD", picks(new LeastConnectionScheduler(servers), 2));
        servers[3].enabled(false);
        assertEquals("-", picks(new LeastConnectionScheduler(servers), 1));
    }
}
