package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.picksCountingActive;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WeightedFailoverSchedulerTest
{
    @Test
    void sendsEverythingToTheHighestWeightWhateverItsLoad()
    {
        assertEquals("BBBB", picksCountingActive(new WeightedFailoverScheduler(withWeights(1, 3, 2)), 4));
    }

    @Test
    void firstOfEqualWeightsWins()
    {
        assertEquals("AA", picks(new WeightedFailoverScheduler(withWeights(3, 3)), 2));
    }

    @Test
    void failsOverWhenTheHighestIsOverloadedUnavailableOrQuiesced()
    {
        final RealServer[] servers = withWeights(1, 3, 2);
        final WeightedFailoverScheduler fo = new WeightedFailoverScheduler(servers);
        servers[1].overloaded(true);
        assertEquals("C", picks(fo, 1));
        servers[2].neighbourReachable(false);
        assertEquals("A", picks(fo, 1));
        servers[0].weight(0);
        assertEquals("-", picks(fo, 1));
        servers[1].overloaded(false);
        assertEquals("B", picks(fo, 1));
    }
}
