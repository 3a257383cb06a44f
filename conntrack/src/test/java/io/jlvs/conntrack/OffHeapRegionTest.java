package io.jlvs.conntrack;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static io.jlvs.conntrack.ConnectionTableTcpTest.CLIENT;
import static io.jlvs.conntrack.ConnectionTableTcpTest.T0;
import static io.jlvs.conntrack.ConnectionTableTcpTest.TCP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.VIP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.VPORT;
import static io.jlvs.conntrack.OffHeapRegion.HUGE_PAGE_BYTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The table's memory: on huge pages when mmap and madvise work, a direct buffer when either fails or the table is
 * too small, and a working table either way.
 */
class OffHeapRegionTest
{
    /** Enough entries for the entries alone to fill several huge pages. */
    private static final int LARGE_CAPACITY = 4 * (int)(HUGE_PAGE_BYTES / EntryLayout.LENGTH);
    private static final int EINVAL = 22;
    private static final int ENOMEM = 12;

    /** libc underneath, with a chosen call made to fail, recording what it mapped and unmapped. */
    private static final class ScriptedMemory implements NativeMemory
    {
        final boolean failMap;
        final boolean failAdvise;
        final List<long[]> mapped = new ArrayList<>();
        final List<long[]> unmapped = new ArrayList<>();
        int advised;

        ScriptedMemory(final boolean failMap, final boolean failAdvise)
        {
            this.failMap = failMap;
            this.failAdvise = failAdvise;
        }

        @Override
        public boolean available()
        {
            return true;
        }

        @Override
        public long mapAnonymous(final long length)
        {
            if (failMap)
            {
                return -ENOMEM;
            }
            final long address = LINUX.mapAnonymous(length);
            mapped.add(new long[] {address, length});
            return address;
        }

        @Override
        public int adviseHugePages(final long address, final long length)
        {
            advised++;
            return failAdvise ? -EINVAL : LINUX.adviseHugePages(address, length);
        }

        @Override
        public int unmap(final long address, final long length)
        {
            unmapped.add(new long[] {address, length});
            return LINUX.unmap(address, length);
        }

        long unmappedBytes()
        {
            long total = 0;
            for (final long[] range : unmapped)
            {
                total += range[1];
            }
            return total;
        }
    }

    private static void assertWorks(final ConnectionTable table)
    {
        final int last = table.capacity() - 1;
        final int first = table.insert(TCP, CLIENT, 1, VIP, VPORT, 1, NO_ENTRY, T0);
        final int second = table.insert(TCP, CLIENT + last, 2, VIP, VPORT, 2, NO_ENTRY, T0);
        assertNotEquals(NO_ENTRY, first);
        assertNotEquals(NO_ENTRY, second);
        assertEquals(first, table.lookup(TCP, CLIENT, 1, VIP, VPORT));
        assertEquals(second, table.lookup(TCP, CLIENT + last, 2, VIP, VPORT));
        assertEquals(2, table.serverId(second));
    }

    @Test
    void largeTableLivesOnHugePagesAlignedToAHugePage()
    {
        assumeTrue(NativeMemory.LINUX.available(), "no mmap through JNA on this platform");
        final OffHeapRegion region = OffHeapRegion.allocate(3 * (int)HUGE_PAGE_BYTES + 1, true, NativeMemory.LINUX);
        assertTrue(region.hugePages());
        assertEquals(0, region.address() % HUGE_PAGE_BYTES);
        final UnsafeBuffer all = region.slice(0, region.length());
        for (int offset = 0; offset < region.length(); offset += OffHeapRegion.SMALL_PAGE_BYTES)
        {
            assertEquals(0, all.getByte(offset), "anonymous memory is zero");
        }
        all.putByte(region.length() - 1, (byte)1);
        assertEquals(1, all.getByte(region.length() - 1));

        final ConnectionTable table = new ConnectionTable(
            LARGE_CAPACITY, Timeouts.ipvsDefaults(), ConnectionListener.NO_OP, 1, true, NativeMemory.LINUX);
        assertTrue(table.hugePages());
        assertWorks(table);
    }

    @Test
    void mmapFailureFallsBackToADirectBuffer()
    {
        final ScriptedMemory memory = new ScriptedMemory(true, false);
        final ConnectionTable table =
            new ConnectionTable(LARGE_CAPACITY, Timeouts.ipvsDefaults(), ConnectionListener.NO_OP, 1, true, memory);
        assertFalse(table.hugePages());
        assertEquals(0, memory.advised);
        assertWorks(table);
    }

    @Test
    void madviseFailureUnmapsEverythingAndFallsBackToADirectBuffer()
    {
        assumeTrue(NativeMemory.LINUX.available(), "no mmap through JNA on this platform");
        final ScriptedMemory memory = new ScriptedMemory(false, true);
        final ConnectionTable table =
            new ConnectionTable(LARGE_CAPACITY, Timeouts.ipvsDefaults(), ConnectionListener.NO_OP, 1, true, memory);
        assertFalse(table.hugePages());
        assertTrue(memory.advised > 0);
        long mappedBytes = 0;
        for (final long[] range : memory.mapped)
        {
            mappedBytes += range[1];
        }
        assertTrue(mappedBytes > 0);
        // The trimmed head and tail, then the whole original span once more: at least everything mapped.
        assertTrue(memory.unmappedBytes() >= mappedBytes, memory.unmappedBytes() + " of " + mappedBytes);
        assertWorks(table);
    }

    @Test
    void tableSmallerThanAHugePageOrWithHugePagesOffUsesADirectBuffer()
    {
        final ScriptedMemory memory = new ScriptedMemory(false, false);
        final ConnectionTable small =
            new ConnectionTable(16, Timeouts.ipvsDefaults(), ConnectionListener.NO_OP, 1, true, memory);
        final ConnectionTable off =
            new ConnectionTable(LARGE_CAPACITY, Timeouts.ipvsDefaults(), ConnectionListener.NO_OP, 1, false, memory);
        assertFalse(small.hugePages());
        assertFalse(off.hugePages());
        assertTrue(memory.mapped.isEmpty(), "nothing was mapped");
        assertWorks(small);
        assertWorks(off);
    }

    @Test
    void mappingsPastTheBudgetFallBackToADirectBufferAndADroppedRegionGivesItsBytesBack()
    {
        assumeTrue(NativeMemory.LINUX.available(), "no mmap through JNA on this platform");
        final int length = 2 * (int)HUGE_PAGE_BYTES;
        final OffHeapRegion.MappingBudget budget = new OffHeapRegion.MappingBudget(length);

        OffHeapRegion first = OffHeapRegion.allocate(length, true, NativeMemory.LINUX, budget);
        assertTrue(first.hugePages());
        assertEquals(length, budget.held());

        final OffHeapRegion over = OffHeapRegion.allocate(length, true, NativeMemory.LINUX, budget);
        assertFalse(over.hugePages(), "past the budget while the first is held: a direct buffer");
        assertEquals(length, budget.held(), "nothing counted for a refused mapping");

        // Dropped: the next allocation past the budget asks for a GC, the cleaner unmaps it, and the mapping fits.
        first = null;
        final OffHeapRegion again = OffHeapRegion.allocate(length, true, NativeMemory.LINUX, budget);
        assertTrue(again.hugePages(), "the dropped region's bytes were given back");
        assertEquals(length, budget.held());
    }
}
