package io.jlvs.conntrack;

import org.agrona.concurrent.UnsafeBuffer;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * The connection table's hash index: key to handle, open addressing over 64-byte lines of three slots, each slot
 * holding a whole key and its entry's handle. A lookup that hits reads one line (rarely the next one too) and
 * returns the handle without touching the entry, where chaining read a bucket and then each entry of its chain: one
 * dependent cache miss instead of two or more.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   CLIENT_KEY slot 0, 1, 2                     |  0, 8, 16
 *  +---------------------------------------------------------------+
 *  |            SERVICE_KEY slot 0, 1, 2 (0: empty slot)           | 24, 32, 40
 *  +-------------------------------+-------------------------------+
 *  |       HANDLE slot 0, 1, 2     |           OVERFLOW            | 48, 52, 56 | 60
 *  +-------------------------------+-------------------------------+
 * </pre>
 * The keys are the entry's two longs ({@link EntryLayout}); a service key always has a kind, so 0 marks an empty
 * slot and zeroed memory is an empty index. A key goes into the first free slot from its home line on (linear
 * probing by lines). Slots never move, so an entry can remember its slot, and handles stay stable. Deletion leaves
 * no tombstone: as in Facebook's F14 tables, each line counts the keys that probed past it because it was full
 * (OVERFLOW), and a lookup stops at the first line whose count is 0; removing a key decrements the counts it
 * incremented.
 * <p>
 * Lines: enough for the table's capacity at a load of {@link #MAX_LOAD_NUMERATOR}/{@link #MAX_LOAD_DENOMINATOR}
 * (10 million entries: 5.6 million lines, 339 MiB), in an {@link OffHeapRegion} of its own.
 */
final class KeyIndex
{
    static final int SLOTS_PER_LINE = 3;
    static final int CLIENT_KEY_OFFSET = 0;
    static final int SERVICE_KEY_OFFSET = CLIENT_KEY_OFFSET + SLOTS_PER_LINE * Long.BYTES;
    static final int HANDLE_OFFSET = SERVICE_KEY_OFFSET + SLOTS_PER_LINE * Long.BYTES;
    static final int OVERFLOW_OFFSET = HANDLE_OFFSET + SLOTS_PER_LINE * Integer.BYTES;
    static final int LINE_LENGTH = OVERFLOW_OFFSET + Integer.BYTES;
    static final int LINE_SHIFT = 6;

    /**
     * At most 3/5 of the slots are used when the table is full: 90% of keys then sit in their home line (80% at
     * 4/5, which measured 15-20% slower lookups: a key past its home line costs a mispredicted branch on data in
     * flight). The index costs about 36 bytes per entry of capacity; 10 million: 339 MiB beside 640 MiB of entries.
     */
    static final int MAX_LOAD_NUMERATOR = 3;
    static final int MAX_LOAD_DENOMINATOR = 5;

    /** The service key of an empty slot: every real one has a kind ({@link EntryLayout#KIND_CONNECTION}...). */
    static final long EMPTY = 0;

    private static final int NONE = ConnectionTable.NO_ENTRY;
    private static final int SIGN_SHIFT = Long.SIZE - 1;

    /** Multipliers of the key mix (from SplitMix64 / Murmur3's finaliser: odd, well-spread bit patterns). */
    private static final long MIX_CLIENT = 0x9E3779B97F4A7C15L;
    private static final long MIX_SERVICE = 0xC2B2AE3D27D4EB4FL;
    private static final long FMIX_1 = 0xFF51AFD7ED558CCDL;
    private static final long FMIX_2 = 0xC4CEB9FE1A85EC53L;

    private final OffHeapRegion region;
    private final UnsafeBuffer lines;
    /** The lines' address, for {@link #find}'s raw reads; the region keeps the memory alive. */
    private final long address;
    private final int lineCount;
    private final long seedClient;
    private final long seedService;

    KeyIndex(final int capacity, final long hashSeed, final boolean tryHugePages, final NativeMemory memory)
    {
        final long slots = ((long)capacity * MAX_LOAD_DENOMINATOR + MAX_LOAD_NUMERATOR - 1) / MAX_LOAD_NUMERATOR;
        // One more slot than entries, at least: an insert always finds a free slot.
        this.lineCount = (int)Math.max(1, (slots + SLOTS_PER_LINE) / SLOTS_PER_LINE);
        this.region = OffHeapRegion.allocate(lineCount * LINE_LENGTH, tryHugePages, memory);
        this.lines = region.slice(0, lineCount * LINE_LENGTH);
        this.address = region.address();
        this.seedClient = fmix(hashSeed);
        this.seedService = fmix(hashSeed + MIX_CLIENT);
    }

    int lineCount()
    {
        return lineCount;
    }

    boolean hugePages()
    {
        return region.hugePages();
    }

    /**
     * The handle stored for the key, or {@link ConnectionTable#NO_ENTRY}. Which slot of a line matches is random, so
     * the three slots are compared without a branch on their contents (selects, not jumps): a mispredicted jump
     * waits for the line to come from memory and throws away the work begun on the next packet, which is what keeps
     * several lookups' cache misses in flight at once.
     */
    int find(final long clientKey, final long serviceKey)
    {
        // Raw reads: a line number is below lineCount by construction, so the buffer's bounds checks (a compare and
        // a branch per read) would only lengthen the lookup, which other lookups must fit beside in the core.
        final int home = homeLine(clientKey, serviceKey);
        final long base = address + ((long)home << LINE_SHIFT);
        final int handle = findInLine(base, clientKey, serviceKey);
        if (handle != NONE || UNSAFE.getInt(base + OVERFLOW_OFFSET) == 0)
        {
            return handle;
        }
        return findBeyond(home, clientKey, serviceKey);
    }

    /** The lines after a full home line, up to the first one no key probed past. */
    private int findBeyond(final int home, final long clientKey, final long serviceKey)
    {
        int line = home;
        for (int probed = 1; probed < lineCount; probed++)
        {
            line = next(line);
            final long base = address + ((long)line << LINE_SHIFT);
            final int handle = findInLine(base, clientKey, serviceKey);
            if (handle != NONE || UNSAFE.getInt(base + OVERFLOW_OFFSET) == 0)
            {
                return handle;
            }
        }
        return NONE;
    }

    /**
     * The three slots are compared without a branch on their contents: which slot holds a key is random, and a
     * mispredicted jump would wait for the line to arrive from memory and throw away the work begun on the next
     * packets, whose own cache misses could have been in flight meanwhile.
     */
    private static int findInLine(final long base, final long clientKey, final long serviceKey)
    {
        final long miss0 = (UNSAFE.getLong(base + CLIENT_KEY_OFFSET) ^ clientKey) |
            (UNSAFE.getLong(base + SERVICE_KEY_OFFSET) ^ serviceKey);
        final long miss1 = (UNSAFE.getLong(base + CLIENT_KEY_OFFSET + Long.BYTES) ^ clientKey) |
            (UNSAFE.getLong(base + SERVICE_KEY_OFFSET + Long.BYTES) ^ serviceKey);
        final long miss2 = (UNSAFE.getLong(base + CLIENT_KEY_OFFSET + 2 * Long.BYTES) ^ clientKey) |
            (UNSAFE.getLong(base + SERVICE_KEY_OFFSET + 2 * Long.BYTES) ^ serviceKey);
        // 1 for the slot whose key matches (at most one does), 0 for the others: sign-bit arithmetic.
        final int hit0 = (int)(~(miss0 | -miss0) >>> SIGN_SHIFT);
        final int hit1 = (int)(~(miss1 | -miss1) >>> SIGN_SHIFT);
        final int hit2 = (int)(~(miss2 | -miss2) >>> SIGN_SHIFT);
        // Handles offset by one, so that no match sums to 0 and comes out as NONE.
        return ((UNSAFE.getInt(base + HANDLE_OFFSET) + 1) & -hit0) +
            ((UNSAFE.getInt(base + HANDLE_OFFSET + Integer.BYTES) + 1) & -hit1) +
            ((UNSAFE.getInt(base + HANDLE_OFFSET + 2 * Integer.BYTES) + 1) & -hit2) - 1;
    }

    /**
     * Stores a key that is not in the index yet; returns its slot number (line * 3 + slot), which stays its slot
     * until {@link #remove}, or {@link ConnectionTable#NO_ENTRY} when every slot is taken, which cannot happen while
     * the index holds no more keys than the capacity it was made for (it has more slots).
     */
    int add(final long clientKey, final long serviceKey, final int handle)
    {
        int line = homeLine(clientKey, serviceKey);
        for (int probed = 0; probed < lineCount; probed++)
        {
            final int base = line << LINE_SHIFT;
            for (int slot = 0; slot < SLOTS_PER_LINE; slot++)
            {
                if (lines.getLong(base + SERVICE_KEY_OFFSET + slot * Long.BYTES) == EMPTY)
                {
                    lines.putLong(base + CLIENT_KEY_OFFSET + slot * Long.BYTES, clientKey);
                    lines.putLong(base + SERVICE_KEY_OFFSET + slot * Long.BYTES, serviceKey);
                    lines.putInt(base + HANDLE_OFFSET + slot * Integer.BYTES, handle);
                    return line * SLOTS_PER_LINE + slot;
                }
            }
            lines.putInt(base + OVERFLOW_OFFSET, lines.getInt(base + OVERFLOW_OFFSET) + 1);
            line = next(line);
        }
        return NONE;
    }

    /** Empties a slot {@link #add} returned, and takes back the overflow counts its key left on the way. */
    void remove(final int slotNumber)
    {
        final int line = slotNumber / SLOTS_PER_LINE;
        final int slot = slotNumber - line * SLOTS_PER_LINE;
        final int base = line << LINE_SHIFT;
        final long clientKey = lines.getLong(base + CLIENT_KEY_OFFSET + slot * Long.BYTES);
        final long serviceKey = lines.getLong(base + SERVICE_KEY_OFFSET + slot * Long.BYTES);
        lines.putLong(base + SERVICE_KEY_OFFSET + slot * Long.BYTES, EMPTY);
        for (int passed = homeLine(clientKey, serviceKey); passed != line; passed = next(passed))
        {
            final int overflowOffset = (passed << LINE_SHIFT) + OVERFLOW_OFFSET;
            lines.putInt(overflowOffset, lines.getInt(overflowOffset) - 1);
        }
    }

    /** Diagnostics: the most lines a lookup of a stored key reads (1 when every key is in its home line). */
    int longestProbe()
    {
        int longest = 0;
        for (int line = 0; line < lineCount; line++)
        {
            final int base = line << LINE_SHIFT;
            for (int slot = 0; slot < SLOTS_PER_LINE; slot++)
            {
                final long serviceKey = lines.getLong(base + SERVICE_KEY_OFFSET + slot * Long.BYTES);
                if (serviceKey != EMPTY)
                {
                    final int home = homeLine(lines.getLong(base + CLIENT_KEY_OFFSET + slot * Long.BYTES), serviceKey);
                    final int distance = line >= home ? line - home : line + lineCount - home;
                    longest = Math.max(longest, distance + 1);
                }
            }
        }
        return longest;
    }

    private int next(final int line)
    {
        return line + 1 == lineCount ? 0 : line + 1;
    }

    /**
     * The key's line: a seeded multiply-xorshift hash whose top 32 bits are scaled to the line count (a multiply, not
     * a modulo: any count works). Short on purpose, as the rest of {@link #find}: a lookup's instructions decide
     * how many lookups' cache misses the core keeps in flight. Every key bit reaches the top bits: the client key
     * through the first multiply, the service key (its address in the high half) through the fold and the second.
     */
    private int homeLine(final long clientKey, final long serviceKey)
    {
        long h = ((clientKey ^ seedClient) * MIX_CLIENT) ^ serviceKey ^ seedService;
        h = (h ^ (h >>> Integer.SIZE)) * MIX_SERVICE;
        return (int)(((h >>> Integer.SIZE) * lineCount) >>> Integer.SIZE);
    }

    /** Murmur3's 64-bit finaliser: every input bit reaches every output bit. */
    private static long fmix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= FMIX_1;
        h ^= h >>> 33;
        h *= FMIX_2;
        h ^= h >>> 33;
        return h;
    }
}
