package io.jlvs.conntrack;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The connection table's off-heap memory: on Linux an anonymous mapping aligned to a 2 MiB huge page and advised
 * {@code MADV_HUGEPAGE}, so that random lookups over hundreds of MiB stop paying a TLB miss (a two-level page walk in
 * a VM) on top of each cache miss; when that is off, too small to matter, or fails, a 64-byte-aligned direct
 * {@link ByteBuffer}. Either way the memory is zeroed and already faulted in when the constructor returns, so that
 * no page fault lands on the per-packet path.
 * <p>
 * A mapping is unmapped by a {@link Cleaner} once the region is unreachable, as a direct buffer is freed.
 */
final class OffHeapRegion
{
    /** x86-64's and aarch64's (4 KiB granule) transparent huge page. */
    static final long HUGE_PAGE_BYTES = 2L * 1024 * 1024;

    /** The smallest page: prefaulting touches each, so that a huge page the kernel could not supply costs no fault. */
    static final int SMALL_PAGE_BYTES = 4096;

    /** {@code -Djlvs.conntrack.hugePages=false} keeps the table off huge pages (a direct buffer, as before). */
    static final String HUGE_PAGES_PROPERTY = "jlvs.conntrack.hugePages";

    private static final Cleaner CLEANER = Cleaner.create();

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
        if (length <= 0)
        {
            throw new IllegalArgumentException("length must be > 0, length=" + length);
        }
        if (tryHugePages && length >= HUGE_PAGE_BYTES && memory.available())
        {
            final OffHeapRegion mapped = mapOnHugePages(length, memory);
            if (mapped != null)
            {
                return mapped;
            }
        }
        final ByteBuffer direct = BufferUtil.allocateDirectAligned(length, EntryLayout.ALIGNMENT);
        return new OffHeapRegion(BufferUtil.address(direct), length, false, direct);
    }

    /** Over-maps by one huge page, trims to a huge-page boundary, advises; null (nothing left mapped) on failure. */
    private static OffHeapRegion mapOnHugePages(final int length, final NativeMemory memory)
    {
        final long rounded = roundUp(length, HUGE_PAGE_BYTES);
        final long mappedLength = rounded + HUGE_PAGE_BYTES;
        final long mapped = memory.mapAnonymous(mappedLength);
        if (mapped < 0)
        {
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
            return null;
        }
        prefault(aligned, rounded);
        final OffHeapRegion region = new OffHeapRegion(aligned, length, true, null);
        CLEANER.register(region, new Unmap(memory, aligned, rounded));
        return region;
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
    private record Unmap(NativeMemory memory, long address, long length) implements Runnable
    {
        @Override
        public void run()
        {
            memory.unmap(address, length);
        }
    }
}
