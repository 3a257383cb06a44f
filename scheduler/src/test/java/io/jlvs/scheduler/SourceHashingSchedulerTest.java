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

class SourceHashingSchedulerTest
{
    private static final int UDP = 17;
    private static final int ICMP = 1;

    private static String buckets(final SourceHashingScheduler sh, final int count)
    {
        final StringBuilder sb = new StringBuilder();
        for (int bucket = 0; bucket < count; bucket++)
        {
            sb.append(letter(sh.bucket(bucket)));
        }
        return sb.toString();
    }

    @Test
    void dealsWeightConsecutiveBucketsAndOneToAQuiescedServer()
    {
        final SourceHashingScheduler sh = new SourceHashingScheduler(withWeights(2, 1, 0), SchedulerFlags.NONE);
        assertEquals("AABCAABC", buckets(sh, 8));
    }

    @Test
    void bucketSharesFollowTheWeights()
    {
        final SourceHashingScheduler sh = new SourceHashingScheduler(withWeights(1, 2, 3), SchedulerFlags.NONE);
        final int[] counts = new int[3];
        for (int bucket = 0; bucket < SourceHashingScheduler.TAB_SIZE; bucket++)
        {
            counts[sh.bucket(bucket).id()]++;
        }
        // 42 rounds of A BB CCC fill 252 buckets; the last 4 are A B B C.
        assertEquals(43, counts[0]);
        assertEquals(86, counts[1]);
        assertEquals(127, counts[2]);
    }

    @Test
    void clientKeepsItsServerAndThePortCountsOnlyWithShPort()
    {
        final RealServer[] servers = withWeights(1, 1);
        final SourceHashingScheduler sh = new SourceHashingScheduler(servers, SchedulerFlags.NONE);
        // hash_32(198.18.100.1, 8) = 17: an odd bucket, B.
        assertSame(servers[1], sh.select(TCP, CLIENT, 1000, VIP, 80));
        assertSame(servers[1], sh.select(TCP, CLIENT, 2000, VIP, 80));
        final SourceHashingScheduler byPort = new SourceHashingScheduler(servers, SchedulerFlags.parse("sh-port"));
        // hash_32(198.18.100.1 + 40000, 8) = 181: B; the port is ignored for protocols without ports.
        assertSame(servers[1], byPort.select(TCP, CLIENT, 40000, VIP, 80));
        assertSame(servers[1], byPort.select(ICMP, CLIENT, 40001, VIP, 80));
        int differs = 0;
        for (int port = 1; port <= 100; port++)
        {
            if (byPort.select(UDP, CLIENT, port, VIP, 80) != servers[1])
            {
                differs++;
            }
        }
        assertTrue(differs > 20, "with sh-port the client's ports spread, differs=" + differs);
    }

    @Test
    void withoutFallbackAnUnusableServerMeansNone()
    {
        final RealServer[] servers = withWeights(1, 1);
        final SourceHashingScheduler sh = new SourceHashingScheduler(servers, SchedulerFlags.NONE);
        servers[1].weight(0);
        assertNull(sh.select(TCP, CLIENT, 1, VIP, 80));
        servers[1].weight(1);
        servers[1].overloaded(true);
        assertNull(sh.select(TCP, CLIENT, 1, VIP, 80));
    }

    @Test
    void fallbackWalksTheTableFromTheOriginalBucket()
    {
        final RealServer[] servers = withWeights(1, 1, 1);
        // Buckets A B C ...; the client hashes to 17 (C). With C quiesced the walk tries (offset + 17 + 17) & 255:
        // 34 (B).
        for (final String flag : new String[] {"sh-fallback", "mh-fallback", "flag-1"})
        {
            final SourceHashingScheduler sh = new SourceHashingScheduler(servers, SchedulerFlags.parse(flag));
            assertSame(servers[2], sh.select(TCP, CLIENT, 1, VIP, 80));
            servers[2].weight(0);
            assertSame(servers[1], sh.select(TCP, CLIENT, 1, VIP, 80), flag);
            servers[1].neighbourReachable(false);
            // 35 is C again, 36 is A.
            assertSame(servers[0], sh.select(TCP, CLIENT, 1, VIP, 80), flag);
            servers[0].overloaded(true);
            assertNull(sh.select(TCP, CLIENT, 1, VIP, 80), flag);
            servers[0].overloaded(false);
            servers[1].neighbourReachable(true);
            servers[2].weight(1);
        }
    }

    @Test
    void clientsSpreadInProportionToBuckets()
    {
        final SourceHashingScheduler sh = new SourceHashingScheduler(withWeights(1, 2, 3), SchedulerFlags.NONE);
        final int clients = 256 * 200;
        final int[] counts = new int[3];
        for (int i = 0; i < clients; i++)
        {
            counts[sh.select(TCP, CLIENT + i, 1, VIP, 80).id()]++;
        }
        final int[] buckets = {43, 86, 127};
        for (int s = 0; s < 3; s++)
        {
            final double expected = (double)clients * buckets[s] / SourceHashingScheduler.TAB_SIZE;
            assertTrue(Math.abs(counts[s] - expected) < expected * 0.02, "server " + s + ": " + counts[s]);
        }
    }
}
