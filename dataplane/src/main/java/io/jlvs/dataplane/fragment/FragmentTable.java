package io.jlvs.dataplane.fragment;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Where the later fragments of a datagram go: the real server its first fragment (the one with the ports) was
 * scheduled to. Keyed on what every fragment of one datagram shares, (source, destination, protocol, IP ID)
 * (RFC 791), each entry lives {@code timeoutNs} from when the first fragment was seen.
 * <p>
 * Fragments can overtake the first one. Those are copied into a preallocated hold pool ({@link #hold}) for at most
 * {@code holdTimeoutNs}; when the first fragment is scheduled the caller {@link #release}s them and sends them on,
 * in arrival order, straight from the pool (each held frame has {@link #HOLD_HEADROOM} bytes in front of it, like
 * a ring slot, for a virtio-net header and an IPIP header). A pool that is full, a frame that is too big, or a hold
 * that times out is a counted drop: a fragment is never sent to a server chosen without its datagram's ports.
 * <p>
 * Capacity is fixed at construction and all storage is primitive arrays and one direct buffer: {@link #remember},
 * {@link #lookup}, {@link #hold}, {@link #release} and {@link #expire} allocate nothing and never throw. One
 * thread (the forwarding thread) owns it; the counters are plain fields it reads.
 */
public final class FragmentTable
{
    /** {@link #lookup}: no live entry for the datagram. */
    public static final int NO_SERVER = -1;
    /** {@link #hold}: the frame was copied into the pool. */
    public static final int HELD = 1;
    /** {@link #hold}: every pool slot is taken (or the pool has none). */
    public static final int HOLD_FULL = -1;
    /** {@link #hold}: the frame is longer than a pool slot takes. */
    public static final int HOLD_TOO_BIG = -2;
    /** Room left in front of each held frame: a virtio-net header and an Ethernet+IPIP header fit, as in a ring slot. */
    public static final int HOLD_HEADROOM = 64;

    /** Twice as many buckets as entries keeps linear probes short. */
    private static final int BUCKETS_PER_ENTRY = 2;
    /** Marks an empty bucket: a real key packs an 8-bit protocol above a 16-bit ID, so it is never negative. */
    private static final int EMPTY = -1;
    private static final int PROTOCOL_SHIFT = 16;
    private static final int BYTE_MASK = 0xFF;
    private static final int WORD_MASK = 0xFFFF;
    private static final int MAX_CAPACITY = 1 << 28;
    private static final int ALIGNMENT = 64;
    private static final byte FREE = 0;
    private static final byte HELD_STATE = 1;
    private static final byte RELEASED = 2;
    /** Odd constants of Murmur3's finaliser: every input bit reaches every bucket bit. */
    private static final int MIX_1 = 0x85EB_CA6B;
    private static final int MIX_2 = 0xC2B2_AE35;
    private static final int GOLDEN = 0x9E37_79B9;
    private static final int MIX_SHIFT_1 = 16;
    private static final int MIX_SHIFT_2 = 13;

    private final int capacity;
    private final int mask;
    private final long timeoutNs;
    private final int[] srcs;
    private final int[] dsts;
    private final int[] keys;
    private final int[] servers;
    private final long[] expiresAtNs;
    private int size;
    private int expiryCursor;

    private final int holdSlots;
    private final int holdSlotLength;
    private final int maxHeldFrameLength;
    private final long holdTimeoutNs;
    private final UnsafeBuffer holdBuffer;
    private final int[] holdSrcs;
    private final int[] holdDsts;
    private final int[] holdKeys;
    private final int[] holdLengths;
    private final long[] holdExpiresAtNs;
    private final long[] holdArrival;
    private final byte[] holdStates;
    private final int[] freeSlots;
    private int freeCount;
    private final int[] releasedSlots;
    private int releasedCount;
    private int lastReleaseStart;
    private int heldCount;
    private long arrivals;

    private long remembered;
    private long hits;
    private long misses;
    private long rejectedFull;
    private long expired;
    private long held;
    private long holdRejectedFull;
    private long holdRejectedTooBig;
    private long heldReleased;
    private long heldExpired;
    private long heldDiscarded;

    /**
     * @param capacity           datagrams remembered at once; size it as fragmented datagrams per second times
     *                           {@code timeoutNs}.
     * @param timeoutNs          how long a datagram's later fragments follow its first.
     * @param holdFrames         fragments held at once while waiting for their first fragment (0: never hold).
     * @param maxHeldFrameLength the longest frame held (an Ethernet frame of the MTU: 1514 for 1500).
     * @param holdTimeoutNs      how long a held fragment waits before it is dropped.
     * @throws IllegalArgumentException for out-of-range sizes or times (control plane only).
     */
    public FragmentTable(
        final int capacity, final long timeoutNs, final int holdFrames, final int maxHeldFrameLength,
        final long holdTimeoutNs)
    {
        if (capacity < 1 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "], capacity=" + capacity);
        }
        if (timeoutNs <= 0 || holdTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("timeouts must be > 0, timeoutNs=" + timeoutNs +
                ", holdTimeoutNs=" + holdTimeoutNs);
        }
        if (holdFrames < 0 || maxHeldFrameLength < 0)
        {
            throw new IllegalArgumentException("hold sizes must be >= 0, holdFrames=" + holdFrames +
                ", maxHeldFrameLength=" + maxHeldFrameLength);
        }
        this.capacity = capacity;
        final int buckets = Integer.highestOneBit(capacity * BUCKETS_PER_ENTRY - 1) << 1;
        this.mask = buckets - 1;
        this.timeoutNs = timeoutNs;
        this.srcs = new int[buckets];
        this.dsts = new int[buckets];
        this.keys = new int[buckets];
        this.servers = new int[buckets];
        this.expiresAtNs = new long[buckets];
        Arrays.fill(keys, EMPTY);

        this.holdSlots = holdFrames;
        this.maxHeldFrameLength = maxHeldFrameLength;
        this.holdSlotLength = alignUp(HOLD_HEADROOM + maxHeldFrameLength);
        this.holdTimeoutNs = holdTimeoutNs;
        this.holdBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            Math.max(ALIGNMENT, Math.multiplyExact(holdFrames, holdSlotLength)), ALIGNMENT));
        this.holdSrcs = new int[holdFrames];
        this.holdDsts = new int[holdFrames];
        this.holdKeys = new int[holdFrames];
        this.holdLengths = new int[holdFrames];
        this.holdExpiresAtNs = new long[holdFrames];
        this.holdArrival = new long[holdFrames];
        this.holdStates = new byte[holdFrames];
        this.freeSlots = new int[holdFrames];
        this.releasedSlots = new int[holdFrames];
        for (int i = 0; i < holdFrames; i++)
        {
            freeSlots[i] = holdFrames - 1 - i;
        }
        this.freeCount = holdFrames;
    }

    private static int alignUp(final int length)
    {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * Records that the datagram's first fragment went to {@code serverId}; its later fragments follow until
     * {@code nowNs + timeoutNs}. An existing entry (a retransmitted first fragment) is overwritten.
     *
     * @return false, counted in {@link #rejectedFull()}, when the table holds {@code capacity} live datagrams.
     */
    public boolean remember(
        final int src, final int dst, final int protocol, final int ipId, final int serverId, final long nowNs)
    {
        final int key = key(protocol, ipId);
        int bucket = hash(src, dst, key) & mask;
        while (keys[bucket] != EMPTY)
        {
            if (keys[bucket] == key && srcs[bucket] == src && dsts[bucket] == dst)
            {
                servers[bucket] = serverId;
                expiresAtNs[bucket] = nowNs + timeoutNs;
                remembered++;
                return true;
            }
            bucket = (bucket + 1) & mask;
        }
        if (size == capacity)
        {
            rejectedFull++;
            return false;
        }
        srcs[bucket] = src;
        dsts[bucket] = dst;
        keys[bucket] = key;
        servers[bucket] = serverId;
        expiresAtNs[bucket] = nowNs + timeoutNs;
        size++;
        remembered++;
        return true;
    }

    /**
     * The real server a later fragment goes to, or {@link #NO_SERVER} when its first fragment was not seen (yet)
     * or its entry expired (an expired entry is removed on the way).
     */
    public int lookup(final int src, final int dst, final int protocol, final int ipId, final long nowNs)
    {
        final int key = key(protocol, ipId);
        int bucket = hash(src, dst, key) & mask;
        while (keys[bucket] != EMPTY)
        {
            if (keys[bucket] == key && srcs[bucket] == src && dsts[bucket] == dst)
            {
                if (expiresAtNs[bucket] - nowNs > 0)
                {
                    hits++;
                    return servers[bucket];
                }
                removeAt(bucket);
                expired++;
                break;
            }
            bucket = (bucket + 1) & mask;
        }
        misses++;
        return NO_SERVER;
    }

    /**
     * Copies a fragment whose first fragment has not been seen into the hold pool, to wait at most
     * {@code holdTimeoutNs} for {@link #release}.
     *
     * @return {@link #HELD}, {@link #HOLD_FULL} or {@link #HOLD_TOO_BIG} (each counted).
     */
    public int hold(
        final int src, final int dst, final int protocol, final int ipId,
        final DirectBuffer frame, final int frameOffset, final int frameLength, final long nowNs)
    {
        if (frameLength > maxHeldFrameLength)
        {
            holdRejectedTooBig++;
            return HOLD_TOO_BIG;
        }
        if (freeCount == 0)
        {
            holdRejectedFull++;
            return HOLD_FULL;
        }
        final int slot = freeSlots[--freeCount];
        holdBuffer.putBytes(heldFrameOffset(slot), frame, frameOffset, frameLength);
        holdSrcs[slot] = src;
        holdDsts[slot] = dst;
        holdKeys[slot] = key(protocol, ipId);
        holdLengths[slot] = frameLength;
        holdExpiresAtNs[slot] = nowNs + holdTimeoutNs;
        holdArrival[slot] = arrivals++;
        holdStates[slot] = HELD_STATE;
        heldCount++;
        held++;
        return HELD;
    }

    /**
     * Hands over the fragments held for a datagram whose first fragment was just scheduled: returns how many, to be
     * read in arrival order with {@link #releasedSlot(int)}, {@link #heldFrameOffset(int)} and
     * {@link #heldFrameLength(int)} in {@link #holdBuffer()}. Their memory stays theirs until
     * {@link #recycleReleased()}, which the caller calls after the TX flush that sent them.
     */
    public int release(final int src, final int dst, final int protocol, final int ipId)
    {
        lastReleaseStart = releasedCount;
        if (heldCount == 0)
        {
            return 0;
        }
        final int key = key(protocol, ipId);
        int found = 0;
        for (int slot = 0; slot < holdSlots; slot++)
        {
            if (holdStates[slot] == HELD_STATE && holdKeys[slot] == key && holdSrcs[slot] == src &&
                holdDsts[slot] == dst)
            {
                holdStates[slot] = RELEASED;
                insertByArrival(slot, lastReleaseStart, lastReleaseStart + found);
                found++;
            }
        }
        releasedCount += found;
        heldCount -= found;
        heldReleased += found;
        return found;
    }

    private void insertByArrival(final int slot, final int from, final int to)
    {
        int at = to;
        while (at > from && holdArrival[releasedSlots[at - 1]] > holdArrival[slot])
        {
            releasedSlots[at] = releasedSlots[at - 1];
            at--;
        }
        releasedSlots[at] = slot;
    }

    /**
     * Drops the fragments held for a datagram whose first fragment could not be sent (no server, table full);
     * returns how many, counted in {@link #heldDiscarded()}.
     */
    public int discard(final int src, final int dst, final int protocol, final int ipId)
    {
        if (heldCount == 0)
        {
            return 0;
        }
        final int key = key(protocol, ipId);
        int found = 0;
        for (int slot = 0; slot < holdSlots; slot++)
        {
            if (holdStates[slot] == HELD_STATE && holdKeys[slot] == key && holdSrcs[slot] == src &&
                holdDsts[slot] == dst)
            {
                freeSlot(slot);
                found++;
            }
        }
        heldCount -= found;
        heldDiscarded += found;
        return found;
    }

    /** The pool slot of the {@code index}-th fragment handed over by the last {@link #release}. */
    public int releasedSlot(final int index)
    {
        return releasedSlots[lastReleaseStart + index];
    }

    /** After the TX flush that sent every released fragment: their pool slots take new fragments again. */
    public void recycleReleased()
    {
        for (int i = 0; i < releasedCount; i++)
        {
            freeSlot(releasedSlots[i]);
        }
        releasedCount = 0;
        lastReleaseStart = 0;
    }

    private void freeSlot(final int slot)
    {
        holdStates[slot] = FREE;
        freeSlots[freeCount++] = slot;
    }

    /**
     * Housekeeping: drops held fragments past their time (all of them: the pool is small) and looks at up to
     * {@code budget} table buckets, removing expired entries.
     *
     * @return entries and held fragments removed.
     */
    public int expire(final long nowNs, final int budget)
    {
        int removed = 0;
        if (heldCount > 0)
        {
            for (int slot = 0; slot < holdSlots; slot++)
            {
                if (holdStates[slot] == HELD_STATE && holdExpiresAtNs[slot] - nowNs <= 0)
                {
                    freeSlot(slot);
                    heldCount--;
                    heldExpired++;
                    removed++;
                }
            }
        }
        int examined = 0;
        while (examined < budget && size > 0)
        {
            final int bucket = expiryCursor;
            examined++;
            if (keys[bucket] != EMPTY && expiresAtNs[bucket] - nowNs <= 0)
            {
                // Backward shifting may move a later entry into this bucket: look at it again.
                removeAt(bucket);
                expired++;
                removed++;
                continue;
            }
            expiryCursor = (bucket + 1) & mask;
        }
        return removed;
    }

    /** Linear-probing removal without tombstones: shifts back the entries whose probe passed through the hole. */
    private void removeAt(final int bucket)
    {
        int hole = bucket;
        int next = (hole + 1) & mask;
        while (keys[next] != EMPTY)
        {
            final int home = hash(srcs[next], dsts[next], keys[next]) & mask;
            // The entry at next may fill the hole unless its home lies cyclically within (hole, next].
            final boolean homeBetween = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!homeBetween)
            {
                srcs[hole] = srcs[next];
                dsts[hole] = dsts[next];
                keys[hole] = keys[next];
                servers[hole] = servers[next];
                expiresAtNs[hole] = expiresAtNs[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        keys[hole] = EMPTY;
        size--;
    }

    private static int key(final int protocol, final int ipId)
    {
        return ((protocol & BYTE_MASK) << PROTOCOL_SHIFT) | (ipId & WORD_MASK);
    }

    private static int hash(final int src, final int dst, final int key)
    {
        int h = src * GOLDEN + dst;
        h = h * GOLDEN + key;
        h ^= h >>> MIX_SHIFT_1;
        h *= MIX_1;
        h ^= h >>> MIX_SHIFT_2;
        h *= MIX_2;
        h ^= h >>> MIX_SHIFT_1;
        return h;
    }

    /** The pool memory the held frames are in. */
    public UnsafeBuffer holdBuffer()
    {
        return holdBuffer;
    }

    /** Offset of the held frame of pool slot {@code slot} in {@link #holdBuffer()}. */
    public int heldFrameOffset(final int slot)
    {
        return slot * holdSlotLength + HOLD_HEADROOM;
    }

    public int heldFrameLength(final int slot)
    {
        return holdLengths[slot];
    }

    /** Bytes from {@link #heldFrameOffset(int)} to the end of the slot: room for a frame that grows in place. */
    public int heldFrameCapacity()
    {
        return holdSlotLength - HOLD_HEADROOM;
    }

    public int capacity()
    {
        return capacity;
    }

    /** Datagrams remembered, live or not yet expired by {@link #expire}. */
    public int size()
    {
        return size;
    }

    /** Fragments waiting in the pool (not counting released ones awaiting {@link #recycleReleased()}). */
    public int heldCount()
    {
        return heldCount;
    }

    public long remembered()
    {
        return remembered;
    }

    public long hits()
    {
        return hits;
    }

    public long misses()
    {
        return misses;
    }

    /** First fragments whose datagram could not be remembered: the table was full of live entries. */
    public long rejectedFull()
    {
        return rejectedFull;
    }

    /** Entries removed because their time was up. */
    public long expired()
    {
        return expired;
    }

    public long held()
    {
        return held;
    }

    public long holdRejectedFull()
    {
        return holdRejectedFull;
    }

    public long holdRejectedTooBig()
    {
        return holdRejectedTooBig;
    }

    public long heldReleased()
    {
        return heldReleased;
    }

    /** Held fragments dropped because their first fragment did not come in time. */
    public long heldExpired()
    {
        return heldExpired;
    }

    public long heldDiscarded()
    {
        return heldDiscarded;
    }
}
