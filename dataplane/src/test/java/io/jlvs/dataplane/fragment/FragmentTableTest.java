package io.jlvs.dataplane.fragment;

import io.jlvs.fixtures.FrameBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static io.jlvs.dataplane.fragment.FragmentTable.NO_SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FragmentTableTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long TIMEOUT = 2 * SECOND;
    private static final long HOLD_TIMEOUT = SECOND / 2;
    private static final int CLIENT = FrameBuilder.address("198.18.0.10");
    private static final int VIP = FrameBuilder.address("198.18.0.100");
    private static final int UDP = 17;
    private static final long T0 = 1_000 * SECOND;

    private static FragmentTable table(final int capacity)
    {
        return new FragmentTable(capacity, TIMEOUT, 4, 1514, HOLD_TIMEOUT);
    }

    /** A later fragment as it arrives: offset 1480 bytes, the datagram's ID. */
    private static byte[] laterFragment(final int ipId, final int payloadByte)
    {
        final byte[] payload = new byte[100];
        Arrays.fill(payload, (byte)payloadByte);
        return FrameBuilder.udp().ipId(ipId).fragmentField(185).payload(payload).build();
    }

    private static byte[] heldFrame(final FragmentTable table, final int slot)
    {
        final byte[] frame = new byte[table.heldFrameLength(slot)];
        table.holdBuffer().getBytes(table.heldFrameOffset(slot), frame);
        return frame;
    }

    @Test
    void laterFragmentsFollowTheFirstToItsServer()
    {
        final FragmentTable table = table(16);

        assertTrue(table.remember(CLIENT, VIP, UDP, 0x4242, 3, T0));

        assertEquals(3, table.lookup(CLIENT, VIP, UDP, 0x4242, T0 + 1));
        assertEquals(NO_SERVER, table.lookup(CLIENT, VIP, UDP, 0x4243, T0), "another ID");
        assertEquals(NO_SERVER, table.lookup(CLIENT, VIP, 6, 0x4242, T0), "another protocol");
        assertEquals(NO_SERVER, table.lookup(CLIENT + 1, VIP, UDP, 0x4242, T0), "another source");
        assertEquals(NO_SERVER, table.lookup(CLIENT, VIP + 1, UDP, 0x4242, T0), "another destination");
        assertEquals(1, table.hits());
        assertEquals(4, table.misses());
    }

    @Test
    void aRetransmittedFirstFragmentOverwritesTheServerAndRestartsTheTimer()
    {
        final FragmentTable table = table(16);
        table.remember(CLIENT, VIP, UDP, 1, 3, T0);

        table.remember(CLIENT, VIP, UDP, 1, 5, T0 + SECOND);

        assertEquals(1, table.size());
        assertEquals(5, table.lookup(CLIENT, VIP, UDP, 1, T0 + SECOND + TIMEOUT - 1));
    }

    @Test
    void anEntryLivesExactlyItsTimeout()
    {
        final FragmentTable table = table(16);
        table.remember(CLIENT, VIP, UDP, 1, 3, T0);

        assertEquals(3, table.lookup(CLIENT, VIP, UDP, 1, T0 + TIMEOUT - 1));
        assertEquals(NO_SERVER, table.lookup(CLIENT, VIP, UDP, 1, T0 + TIMEOUT));
        assertEquals(0, table.size(), "an expired entry found by lookup is removed");
        assertEquals(1, table.expired());
    }

    @Test
    void aFullTableRefusesNewDatagramsUntilExpiryMakesRoom()
    {
        final FragmentTable table = table(4);
        for (int id = 0; id < 4; id++)
        {
            assertTrue(table.remember(CLIENT, VIP, UDP, id, id, T0));
        }

        assertFalse(table.remember(CLIENT, VIP, UDP, 99, 1, T0 + 1));
        assertEquals(1, table.rejectedFull());
        assertTrue(table.remember(CLIENT, VIP, UDP, 2, 7, T0 + 1), "an existing datagram is still updated");
        assertEquals(0, table.lookup(CLIENT, VIP, UDP, 0, T0 + 1), "nothing was evicted");

        assertEquals(3, table.expire(T0 + TIMEOUT, 64));
        assertTrue(table.remember(CLIENT, VIP, UDP, 99, 1, T0 + TIMEOUT));
        assertEquals(7, table.lookup(CLIENT, VIP, UDP, 2, T0 + TIMEOUT));
    }

    @Test
    void expiryExaminesAtMostItsBudgetOfBucketsPerCall()
    {
        final FragmentTable table = table(64);
        for (int id = 0; id < 64; id++)
        {
            table.remember(CLIENT, VIP, UDP, id, 1, T0);
        }
        final long later = T0 + TIMEOUT;

        final int first = table.expire(later, 10);

        assertTrue(first <= 10, "removed " + first);
        int calls = 1;
        while (table.size() > 0 && calls < 1000)
        {
            table.expire(later, 10);
            calls++;
        }
        assertEquals(0, table.size());
        assertTrue(calls > 64 / 10, "took " + calls + " calls");
        assertEquals(64, table.expired());
    }

    @Test
    void behavesLikeAMapWhoseEntriesVanishAtTheirTimeUnderRandomUse()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final int capacity = 64;
        final FragmentTable table = new FragmentTable(capacity, TIMEOUT, 0, 0, HOLD_TIMEOUT);
        // key -> {server, expiresAtNs}
        final Map<Long, long[]> model = new HashMap<>();
        long now = T0;
        for (int step = 0; step < 200_000; step++)
        {
            now += random.nextInt((int)(SECOND / 50));
            // A small key space: collisions, reuse, long probe chains and a full table all happen.
            final int src = CLIENT + random.nextInt(8);
            final int id = random.nextInt(40);
            final long key = ((long)src << 16) | id;
            final long[] entry = model.get(key);
            final boolean live = entry != null && entry[1] - now > 0;
            final int operation = random.nextInt(3);
            if (operation == 0)
            {
                final int server = random.nextInt(10);
                if (table.remember(src, VIP, UDP, id, server, now))
                {
                    model.put(key, new long[] {server, now + TIMEOUT});
                }
                else
                {
                    assertFalse(live, "refused to update a live entry, step " + step + ", seed=" + seed);
                    assertEquals(capacity, table.size(), "refused below capacity, step " + step + ", seed=" + seed);
                }
            }
            else if (operation == 1)
            {
                assertEquals(live ? (int)entry[0] : NO_SERVER, table.lookup(src, VIP, UDP, id, now),
                    "step " + step + ", seed=" + seed);
            }
            else
            {
                table.expire(now, random.nextInt(16));
            }
            final long clock = now;
            final long liveEntries = model.values().stream().filter(e -> e[1] - clock > 0).count();
            assertTrue(table.size() >= liveEntries && table.size() <= capacity,
                "size " + table.size() + " with " + liveEntries + " live, step " + step + ", seed=" + seed);
        }
        assertTrue(table.rejectedFull() > 0 && table.expired() > 0, "the run filled and expired, seed=" + seed);
    }

    @Test
    void heldFragmentsAreReleasedInArrivalOrderWhenTheirFirstFragmentIsScheduled()
    {
        final FragmentTable table = table(16);
        final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final byte[] second = laterFragment(7, 0xB2);
        final byte[] third = laterFragment(7, 0xC3);
        final byte[] otherDatagram = laterFragment(8, 0xEE);
        ring.putBytes(100, third);
        assertEquals(FragmentTable.HELD, table.hold(CLIENT, VIP, UDP, 7, ring, 100, third.length, T0));
        ring.putBytes(100, otherDatagram);
        assertEquals(FragmentTable.HELD, table.hold(CLIENT, VIP, UDP, 8, ring, 100, otherDatagram.length, T0 + 1));
        ring.putBytes(100, second);
        assertEquals(FragmentTable.HELD, table.hold(CLIENT, VIP, UDP, 7, ring, 100, second.length, T0 + 2));
        assertEquals(3, table.heldCount());

        table.remember(CLIENT, VIP, UDP, 7, 2, T0 + 3);
        final int released = table.release(CLIENT, VIP, UDP, 7);

        assertEquals(2, released);
        assertArrayEquals(third, heldFrame(table, table.releasedSlot(0)), "arrival order");
        assertArrayEquals(second, heldFrame(table, table.releasedSlot(1)));
        assertTrue(table.heldFrameOffset(table.releasedSlot(0)) >= FragmentTable.HOLD_HEADROOM);
        assertEquals(1, table.heldCount());
        assertEquals(0, table.release(CLIENT, VIP, UDP, 7), "each fragment is released once");
    }

    @Test
    void releasedSlotsAreNotReusedBeforeTheFlushThatSendsThem()
    {
        final FragmentTable table = new FragmentTable(16, TIMEOUT, 2, 1514, HOLD_TIMEOUT);
        final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final byte[] fragment = laterFragment(7, 0xB2);
        ring.putBytes(0, fragment);
        table.hold(CLIENT, VIP, UDP, 7, ring, 0, fragment.length, T0);
        table.hold(CLIENT, VIP, UDP, 7, ring, 0, fragment.length, T0);
        assertEquals(2, table.release(CLIENT, VIP, UDP, 7));

        assertEquals(FragmentTable.HOLD_FULL, table.hold(CLIENT, VIP, UDP, 9, ring, 0, fragment.length, T0));
        table.recycleReleased();

        assertEquals(FragmentTable.HELD, table.hold(CLIENT, VIP, UDP, 9, ring, 0, fragment.length, T0));
        assertEquals(1, table.holdRejectedFull());
        assertEquals(2, table.heldReleased());
    }

    @Test
    void holdRefusesWhatDoesNotFitAndDropsWhatWaitsTooLong()
    {
        final FragmentTable table = new FragmentTable(16, TIMEOUT, 2, 200, HOLD_TIMEOUT);
        final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final byte[] fragment = laterFragment(7, 1);

        assertEquals(FragmentTable.HOLD_TOO_BIG, table.hold(CLIENT, VIP, UDP, 7, ring, 0, 201, T0));
        ring.putBytes(0, fragment);
        table.hold(CLIENT, VIP, UDP, 7, ring, 0, fragment.length, T0);
        table.hold(CLIENT, VIP, UDP, 8, ring, 0, fragment.length, T0 + HOLD_TIMEOUT / 2);
        assertEquals(FragmentTable.HOLD_FULL, table.hold(CLIENT, VIP, UDP, 9, ring, 0, fragment.length, T0));

        assertEquals(1, table.expire(T0 + HOLD_TIMEOUT, 0), "only the first has waited its time");
        assertEquals(1, table.heldExpired());
        assertEquals(0, table.release(CLIENT, VIP, UDP, 7), "an expired fragment is gone");
        assertEquals(FragmentTable.HELD, table.hold(CLIENT, VIP, UDP, 9, ring, 0, fragment.length, T0 + HOLD_TIMEOUT));
        assertEquals(1, table.holdRejectedTooBig());
        assertEquals(1, table.holdRejectedFull());
    }

    @Test
    void discardDropsTheFragmentsOfADatagramThatCouldNotBeScheduled()
    {
        final FragmentTable table = table(16);
        final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        table.hold(CLIENT, VIP, UDP, 7, ring, 0, 100, T0);
        table.hold(CLIENT, VIP, UDP, 7, ring, 0, 100, T0);
        table.hold(CLIENT, VIP, UDP, 8, ring, 0, 100, T0);

        assertEquals(2, table.discard(CLIENT, VIP, UDP, 7));

        assertEquals(2, table.heldDiscarded());
        assertEquals(1, table.heldCount());
        assertEquals(1, table.release(CLIENT, VIP, UDP, 8));
    }

    @Test
    void aTableWithoutHoldRoomRefusesEveryHold()
    {
        final FragmentTable table = new FragmentTable(16, TIMEOUT, 0, 0, HOLD_TIMEOUT);
        final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(64));

        assertEquals(FragmentTable.HOLD_TOO_BIG, table.hold(CLIENT, VIP, UDP, 7, ring, 0, 1, T0));
        assertEquals(FragmentTable.HOLD_FULL, table.hold(CLIENT, VIP, UDP, 7, ring, 0, 0, T0));
        assertEquals(0, table.release(CLIENT, VIP, UDP, 7));
    }

    @Test
    void rejectsNonsenseSizesAtConstruction()
    {
        assertThrows(IllegalArgumentException.class, () -> new FragmentTable(0, TIMEOUT, 0, 0, HOLD_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new FragmentTable(1, 0, 0, 0, HOLD_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new FragmentTable(1, TIMEOUT, -1, 0, HOLD_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new FragmentTable(1, TIMEOUT, 1, 100, 0));
    }
}
