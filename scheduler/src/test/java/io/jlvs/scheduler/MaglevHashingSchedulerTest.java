package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.jlvs.scheduler.Servers.CLIENT;
import static io.jlvs.scheduler.Servers.TCP;
import static io.jlvs.scheduler.Servers.VIP;
import static io.jlvs.scheduler.Servers.letter;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaglevHashingSchedulerTest
{
    private static int[] slotCounts(final MaglevHashingScheduler mh, final int servers)
    {
        final int[] counts = new int[servers];
        for (int slot = 0; slot < mh.tableSize(); slot++)
        {
            counts[mh.slotOwner(slot).id()]++;
        }
        return counts;
    }

    private static RealServer[] equalServers(final int count)
    {
        final int[] weights = new int[count];
        Arrays.fill(weights, 1);
        return withWeights(weights);
    }

    private static void assertSharesWithinOnePercent(final MaglevHashingScheduler mh, final RealServer[] servers)
    {
        long totalWeight = 0;
        for (final RealServer server : servers)
        {
            totalWeight += server.weight();
        }
        final int[] counts = slotCounts(mh, servers.length);
        for (final RealServer server : servers)
        {
            final double expected = (double)mh.tableSize() * server.weight() / totalWeight;
            final double error = Math.abs(counts[server.id()] - expected) / expected;
            assertTrue(error <= 0.01, "server " + server.id() + " has " + counts[server.id()] + " slots, expected " +
                expected + " (" + (error * 100) + "%)");
        }
    }

    @Test
    void buildsTheSameTableAsTheKernel()
    {
        // Reference: an independent implementation of ip_vs_mh_permutate/populate over the kernel's hsiphash.
        final MaglevHashingScheduler mh = new MaglevHashingScheduler(withWeights(1, 2, 3), SchedulerFlags.NONE);
        assertEquals(4093, mh.tableSize());
        final StringBuilder first40 = new StringBuilder();
        for (int slot = 0; slot < 40; slot++)
        {
            first40.append(letter(mh.slotOwner(slot)));
        }
        assertEquals("CCCCCACACABACCCCCCCACACCCCCCABACCCCCCCCC", first40.toString());
        assertArrayEquals(new int[] {683, 1364, 2046}, slotCounts(mh, 3));
    }

    @Test
    void picksTheSlotOfTheClientAddressAndWithMhPortItsPort()
    {
        final RealServer[] servers = withWeights(1, 2, 3);
        // Slot 3279 (C) for the address alone; 2918 (B) for address + port 40000.
        assertSame(servers[2], new MaglevHashingScheduler(servers, SchedulerFlags.NONE)
            .select(TCP, CLIENT, 40000, VIP, 80));
        assertSame(servers[1], new MaglevHashingScheduler(servers, SchedulerFlags.parse("mh-port"))
            .select(TCP, CLIENT, 40000, VIP, 80));
        assertSame(servers[1], new MaglevHashingScheduler(servers, SchedulerFlags.parse("flag-2"))
            .select(TCP, CLIENT, 40000, VIP, 80));
        assertSame(servers[2], new MaglevHashingScheduler(servers, SchedulerFlags.parse("mh-port"))
            .select(1, CLIENT, 40000, VIP, 80), "ICMP has no port");
    }

    @Test
    void everyServersShareIsWithinOnePercentOfItsWeight()
    {
        // Table at least 100 times the servers.
        assertSharesWithinOnePercent(
            new MaglevHashingScheduler(equalServers(40), SchedulerFlags.NONE), equalServers(40));
        final RealServer[] weighted = withWeights(1, 2, 3, 4, 1, 2, 3, 4, 2, 3);
        assertSharesWithinOnePercent(new MaglevHashingScheduler(weighted, SchedulerFlags.NONE), weighted);
        final RealServer[] many = equalServers(300);
        assertSharesWithinOnePercent(new MaglevHashingScheduler(many, SchedulerFlags.NONE, 15), many);
    }

    @Test
    void clientsSpreadLikeTheSlots()
    {
        final RealServer[] servers = equalServers(8);
        final MaglevHashingScheduler mh = new MaglevHashingScheduler(servers, SchedulerFlags.NONE);
        final int clients = 200_000;
        final int[] counts = new int[servers.length];
        for (int i = 0; i < clients; i++)
        {
            counts[mh.select(TCP, CLIENT + i * 7, 1, VIP, 80).id()]++;
        }
        for (final int count : counts)
        {
            assertTrue(Math.abs(count - clients / servers.length) < clients / servers.length / 20, "count " + count);
        }
    }

    @Test
    void removingOneServerMovesFewSlotsOfTheOthers()
    {
        final int count = 10;
        final RealServer[] servers = equalServers(count);
        final MaglevHashingScheduler before = new MaglevHashingScheduler(servers, SchedulerFlags.NONE);
        for (int removed = 0; removed < count; removed++)
        {
            final RealServer[] rest = new RealServer[count - 1];
            for (int i = 0, j = 0; i < count; i++)
            {
                if (i != removed)
                {
                    rest[j++] = servers[i];
                }
            }
            final MaglevHashingScheduler after = new MaglevHashingScheduler(rest, SchedulerFlags.NONE);
            int othersSlots = 0;
            int othersMoved = 0;
            for (int slot = 0; slot < before.tableSize(); slot++)
            {
                final RealServer owner = before.slotOwner(slot);
                if (owner.id() == removed)
                {
                    assertTrue(after.slotOwner(slot).id() != removed);
                    continue;
                }
                othersSlots++;
                if (after.slotOwner(slot) != owner)
                {
                    othersMoved++;
                }
            }
            // A modulo hash would move ~90% of the others' slots; Maglev moves a few percent.
            assertTrue(othersMoved < othersSlots * 0.05,
                "removing " + removed + " moved " + othersMoved + " of " + othersSlots + " other slots");
        }
    }

    @Test
    void quiescedServerKeepsItsSlotsAndItsClientsGetNoneOrTheFallback()
    {
        final RealServer[] servers = withWeights(1, 2, 3);
        final MaglevHashingScheduler before = new MaglevHashingScheduler(servers, SchedulerFlags.NONE);
        servers[2].weight(0);
        final MaglevHashingScheduler plain = new MaglevHashingScheduler(servers, SchedulerFlags.NONE);
        for (int slot = 0; slot < before.tableSize(); slot++)
        {
            assertSame(before.slotOwner(slot), plain.slotOwner(slot), "slot " + slot);
        }
        assertNull(plain.select(TCP, CLIENT, 1, VIP, 80), "the client's slot belongs to quiesced C");
        final RealServer fallback = new MaglevHashingScheduler(servers, SchedulerFlags.parse("mh-fallback"))
            .select(TCP, CLIENT, 1, VIP, 80);
        assertNotNull(fallback);
        assertTrue(fallback != servers[2]);
        servers[2].weight(3);
        assertSame(servers[2], new MaglevHashingScheduler(servers, SchedulerFlags.NONE).select(TCP, CLIENT, 1, VIP, 80));
    }

    @Test
    void overloadedOrUnreachableOwnerGetsNoneWithoutFallback()
    {
        final RealServer[] servers = withWeights(1, 2, 3);
        final MaglevHashingScheduler plain = new MaglevHashingScheduler(servers, SchedulerFlags.NONE);
        final MaglevHashingScheduler fallback = new MaglevHashingScheduler(servers, SchedulerFlags.parse("sh-fallback"));
        servers[2].overloaded(true);
        assertNull(plain.select(TCP, CLIENT, 1, VIP, 80));
        assertNotNull(fallback.select(TCP, CLIENT, 1, VIP, 80));
        servers[2].overloaded(false);
        servers[2].neighbourReachable(false);
        assertNull(plain.select(TCP, CLIENT, 1, VIP, 80));
        servers[0].weight(0);
        assertSame(servers[1], fallback.select(TCP, CLIENT, 1, VIP, 80));
        servers[1].enabled(false);
        assertNull(fallback.select(TCP, CLIENT, 1, VIP, 80), "every server unusable: the walk ends with none");
    }

    @Test
    void largeWeightsAreShiftedIntoTheTableBits()
    {
        // gcd 1, max 1000: fls(1000) = 10 > 6 bits, so turns are weight >> 4: 62 and 0 -> 1.
        final RealServer[] servers = withWeights(1000, 1);
        final int[] counts = slotCounts(new MaglevHashingScheduler(servers, SchedulerFlags.NONE), 2);
        assertEquals(4093, counts[0] + counts[1]);
        assertEquals(4093 / 63, counts[1], 1);
    }

    @Test
    void emptyOrAllZeroTableSchedulesNothingAndOversizedSetsAreRejected()
    {
        assertNull(new MaglevHashingScheduler(new RealServer[0], SchedulerFlags.NONE).select(TCP, CLIENT, 1, VIP, 80));
        assertNull(new MaglevHashingScheduler(withWeights(0, 0), SchedulerFlags.parse("mh-fallback"))
            .select(TCP, CLIENT, 1, VIP, 80));
        assertThrows(IllegalArgumentException.class,
            () -> new MaglevHashingScheduler(equalServers(252), SchedulerFlags.NONE, 8));
        assertThrows(IllegalArgumentException.class, () -> new MaglevHashingScheduler.Factory(18));
    }
}
