package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.CLIENT;
import static io.jlvs.scheduler.Servers.TCP;
import static io.jlvs.scheduler.Servers.VIP;
import static io.jlvs.scheduler.Servers.letter;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DestinationHashingSchedulerTest
{
    @Test
    void dealsBucketsOneEachInListOrderWhateverTheWeights()
    {
        final DestinationHashingScheduler dh = new DestinationHashingScheduler(withWeights(5, 1, 2));
        final StringBuilder firstSix = new StringBuilder();
        for (int bucket = 0; bucket < 6; bucket++)
        {
            firstSix.append(letter(dh.bucket(bucket)));
        }
        assertEquals("ABCABC", firstSix.toString());
    }

    @Test
    void picksTheBucketOfHash32OfTheVirtualAddress()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        final DestinationHashingScheduler dh = new DestinationHashingScheduler(servers);
        // hash_32(198.18.0.100, 8) = 141, and 141 % 3 = 0 (independent computation).
        assertSame(servers[0], dh.select(TCP, CLIENT, 1234, VIP, 80));
        assertSame(servers[0], dh.select(TCP, CLIENT + 99, 4321, VIP, 443), "the client plays no part");
    }

    @Test
    void hasNoFallbackWhenTheHashedServerCannotTakeConnections()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        final DestinationHashingScheduler dh = new DestinationHashingScheduler(servers);
        servers[0].weight(0);
        assertNull(dh.select(TCP, CLIENT, 1, VIP, 80));
        servers[0].weight(1);
        servers[0].overloaded(true);
        assertNull(dh.select(TCP, CLIENT, 1, VIP, 80));
        servers[0].overloaded(false);
        servers[0].neighbourReachable(false);
        assertNull(dh.select(TCP, CLIENT, 1, VIP, 80));
    }

    @Test
    void serverDisabledBeforeTheBuildGetsNoBucket()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        servers[0].enabled(false);
        final DestinationHashingScheduler dh = new DestinationHashingScheduler(servers);
        assertEquals("BC", "" + letter(dh.bucket(0)) + letter(dh.bucket(1)));
        assertNull(new DestinationHashingScheduler(new RealServer[0]).select(TCP, CLIENT, 1, VIP, 80));
    }

    @Test
    void spreadsDestinationAddressesEvenly()
    {
        final int servers = 4;
        final int addresses = 256 * 100;
        final DestinationHashingScheduler dh = new DestinationHashingScheduler(withWeights(1, 1, 1, 1));
        final int[] counts = new int[servers];
        for (int i = 0; i < addresses; i++)
        {
            counts[dh.select(TCP, CLIENT, 1, VIP + i, 80).id()]++;
        }
        for (final int count : counts)
        {
            assertTrue(Math.abs(count - addresses / servers) < addresses / servers / 50, "counts " + count);
        }
    }
}
