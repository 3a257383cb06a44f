package io.jlvs.conntrack;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The connection table's off-heap memory: on Linux an anonymous mapping aligned to a 2 MiB huge page and advised
 * {@code MADV_HUGEPAGE}, so that random lookups over hundreds of MiB stop paying a TLB miss (a two-level page walk in
 * a VM) on top of each cache miss; when that is off, too small to matter, or fails, a 64-byte-aligned direct
 * {@link ByteBuffer}. Either way the memory is zeroed and already faulted in when the constructor returns, so that
 * no page fault lands on the per-packet path.
 * <p>
 * A mapping is unmapped by a {@link Cleaner} once the region is unreachable, as a direct buffer is freed. As the JDK
 * does for direct memory, the bytes mapped and not yet unmapped are bounded ({@link #MAX_MAPPED_PROPERTY}, by default
 * the heap's maximum): a process that creates and drops many tables (a test suite, a researcher's loop) asks for a
 * garbage collection, so that the cleaners of dropped tables run, before it maps more, and falls back to a direct
 * buffer (with the JDK's own bound) if that does not free enough.
 */
final class OffHeapRegion
{
    /** x86-64's and aarch64's (4 KiB granule) transparent huge page. */
    static final long HUGE_PAGE_BYTES = 2L * 1024 * 1024;

    /** The smallest page: prefaulting touches each, so that a huge page the kernel could not supply costs no fault. */
    static final int SMALL_PAGE_BYTES = 4096;

    /** {@code -Djlvs.conntrack.hugePages=false} keeps the table off huge pages (a direct buffer, as before). */
    static final String HUGE_PAGES_PROPERTY = "jlvs.conntrack.hugePages";

    /** {@code -Djlvs.conntrack.maxMappedBytes=N}: the most bytes of huge-page mappings held at once. */
    static final String MAX_MAPPED_PROPERTY = "jlvs.conntrack.maxMappedBytes";

    private static final Cleaner CLEANER = Cleaner.create();
    /** After a requested GC, look again this many times, sleeping 1, 2, 4 ... ms (about half a second in all). */
    private static final int RESERVE_RETRIES = 9;
    /** The process's budget: every table's mappings count against it. */
    private static final MappingBudget PROCESS_BUDGET = new MappingBudget(maxMappedBytes());

    private final long address;
    private final int length;
    private final boolean hugePages;
    /** The fallback's buffer, kept reachable for as long as the region is. */
    private final ByteBuffer direct;

    private OffHeapRegion(final long address, final int length, final boolean hugePages, final ByteBuffer direct)
    {
        this.address = address;
        this.length = length;
        this.hugePages = hugePages;
        this.direct = direct;
    }

    /** Whether {@link #HUGE_PAGES_PROPERTY} allows huge pages (the default). */
    static boolean hugePagesEnabled()
    {
        return !"false".equalsIgnoreCase(System.getProperty(HUGE_PAGES_PROPERTY, "true"));
    }

    /**
     * {@code length} zeroed bytes: on huge pages when {@code tryHugePages}, the platform allows it and the region is
     * at least one huge page; otherwise (or when a call fails) a direct buffer.
     */
    static OffHeapRegion allocate(final int length, final boolean tryHugePages, final NativeMemory memory)
    {
        return allocate(length, tryHugePages, memory, PROCESS_BUDGET);
    }

    /** As {@link #allocate(int, boolean, NativeMemory)}, its mapping counted against {@code budget}. */
    static OffHeapRegion allocate(
        final int length, final boolean tryHugePages, final NativeMemory memory, final MappingBudget budget)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("length must be > 0, length=" + length);
        }
        if (tryHugePages && length >= HUGE_PAGE_BYTES && memory.available())
        {
            final OffHeapRegion mapped = mapOnHugePages(length, memory, budget);
            if (mapped != null)
            {
                return mapped;
            }
        }
        final ByteBuffer direct = BufferUtil.allocateDirectAligned(length, EntryLayout.ALIGNMENT);
        return new OffHeapRegion(BufferUtil.address(direct), length, false, direct);
    }

    /** Over-maps by one huge page, trims to a huge-page boundary, advises; null (nothing left mapped) on failure. */
    private static OffHeapRegion mapOnHugePages(final int length, final NativeMemory memory, final MappingBudget budget)
    {
        final long rounded = roundUp(length, HUGE_PAGE_BYTES);
        final long mappedLength = rounded + HUGE_PAGE_BYTES;
        if (!budget.reserve(rounded))
        {
            return null;
        }
        final long mapped = memory.mapAnonymous(mappedLength);
        if (mapped < 0)
        {
            budget.release(rounded);
            return null;
        }
        final long aligned = roundUp(mapped, HUGE_PAGE_BYTES);
        final long head = aligned - mapped;
        final long tail = mappedLength - head - rounded;
        if ((head > 0 && memory.unmap(mapped, head) != 0) ||
            (tail > 0 && memory.unmap(aligned + rounded, tail) != 0) ||
            memory.adviseHugePages(aligned, rounded) != 0)
        {
            // Unmapping a range twice is harmless, so the whole original span goes in one call.
            memory.unmap(mapped, mappedLength);
            budget.release(rounded);
            return null;
        }
        prefault(aligned, rounded);
        final OffHeapRegion region = new OffHeapRegion(aligned, length, true, null);
        CLEANER.register(region, new Unmap(memory, aligned, rounded, budget));
        return region;
    }

    /** The bound on mapped bytes: {@link #MAX_MAPPED_PROPERTY}, else the heap's maximum (the JDK's direct default). */
    static long maxMappedBytes()
    {
        return Long.getLong(MAX_MAPPED_PROPERTY, Runtime.getRuntime().maxMemory());
    }

    private static void prefault(final long address, final long length)
    {
        final UnsafeBuffer pages = new UnsafeBuffer();
        for (long page = 0; page < length; page += SMALL_PAGE_BYTES)
        {
            // A write faults the page in (a whole huge page when the kernel has one); anonymous memory is zero.
            pages.wrap(address + page, Byte.BYTES);
            pages.putByte(0, (byte)0);
        }
    }

    private static long roundUp(final long value, final long multiple)
    {
        return (value + multiple - 1) & -multiple;
    }

    long address()
    {
        return address;
    }

    int length()
    {
        return length;
    }

    /** Whether the region is a mapping advised for transparent huge pages (not a direct buffer). */
    boolean hugePages()
    {
        return hugePages;
    }

    /** A buffer over {@code length} bytes of the region from {@code offset}. */
    UnsafeBuffer slice(final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > this.length - length)
        {
            throw new IndexOutOfBoundsException("offset=" + offset + ", length=" + length + " of " + this.length);
        }
        return new UnsafeBuffer(address + offset, length);
    }

    /** The cleaning action: holds the mapping, never the region, or the region could never become unreachable. */
    private record Unmap(NativeMemory memory, long address, long length, MappingBudget budget) implements Runnable
    {
        @Override
        public void run()
        {
            memory.unmap(address, length);
            budget.release(length);
        }
    }

    /**
     * Bytes of mappings held and not yet unmapped, bounded: a reservation that does not fit asks for a GC (dropped
     * tables' cleaners then unmap theirs) and looks again a few times, as {@code java.nio.Bits.reserveMemory} does
     * for direct buffers.
     */
    static final class MappingBudget
    {
        private final AtomicLong held = new AtomicLong();
        private final long limit;

        MappingBudget(final long limit)
        {
            this.limit = limit;
        }

        /** Bytes held now. */
        long held()
        {
            return held.get();
        }

        boolean reserve(final long bytes)
        {
            if (tryReserve(bytes))
            {
                return true;
            }
            System.gc();
            long sleepMs = 1;
            for (int retry = 0; retry < RESERVE_RETRIES; retry++)
            {
                if (tryReserve(bytes))
                {
                    return true;
                }
                try
                {
                    Thread.sleep(sleepMs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return false;
                }
                sleepMs <<= 1;
            }
            return tryReserve(bytes);
        }

        void release(final long bytes)
        {
            held.addAndGet(-bytes);
        }

        private boolean tryReserve(final long bytes)
        {
            while (true)
            {
                final long now = held.get();
                if (now + bytes > limit)
                {
                    return false;
                }
                if (held.compareAndSet(now, now + bytes))
                {
                    return true;
                }
            }
        }
    }
}
