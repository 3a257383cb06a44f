package io.jlvs.conntrack;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import static io.jlvs.conntrack.EntryLayout.LENGTH;
import static io.jlvs.conntrack.EntryLayout.WHEEL_NEXT_OFFSET;
import static io.jlvs.conntrack.EntryLayout.WHEEL_PREV_OFFSET;
import static io.jlvs.conntrack.EntryLayout.WHEEL_TICK_OFFSET;

/**
 * The hashed timer wheel that expires table entries without ever scanning the table: one bucket per tick, the
 * entries of a bucket doubly linked through the entries themselves, so adding, moving and removing are O(1).
 * <p>
 * A bucket is processed once its whole tick has passed, so an entry expires at most one tick late and never early.
 * Re-arming is lazy: an entry whose expiry moves later (every packet of a busy connection does that) stays in its
 * bucket and is re-placed when that bucket comes round; only a move to an earlier tick (a state with a shorter
 * timeout) relinks it at once. An expiry beyond one turn of the wheel parks the entry in the farthest bucket.
 */
final class ExpiryWheel
{
    /**
     * 2^24 ns = 16.8 ms per tick: far finer than the shortest IPVS timeout (2 s), coarse enough that a forwarding
     * duty cycle rarely crosses more than one tick.
     */
    static final int TICK_SHIFT = 24;
    static final long TICK_NS = 1L << TICK_SHIFT;
    /** 65536 ticks = 1100 s per turn, longer than the longest default timeout (ESTABLISHED, 900 s). */
    static final int BUCKET_COUNT = 1 << 16;
    private static final int BUCKET_MASK = BUCKET_COUNT - 1;

    /** WHEEL_PREV of an entry that is in no bucket (a head has {@link ConnectionTable#NO_ENTRY}). */
    static final int UNLINKED = -2;

    private static final int NONE = ConnectionTable.NO_ENTRY;

    private final UnsafeBuffer entries;
    private final int[] heads = new int[BUCKET_COUNT];
    /** The next tick whose bucket has not been fully processed. */
    private long cursorTick;
    private boolean started;
    private int count;
    private int lastWork;

    ExpiryWheel(final UnsafeBuffer entries)
    {
        this.entries = entries;
        Arrays.fill(heads, NONE);
    }

    static long tickOf(final long timeNs)
    {
        // An arithmetic shift floors negative times too: System.nanoTime() may be negative.
        return timeNs >> TICK_SHIFT;
    }

    /** Fixes the wheel's origin at the first time the table sees. */
    void start(final long nowNs)
    {
        if (!started)
        {
            cursorTick = tickOf(nowNs);
            started = true;
        }
    }

    int size()
    {
        return count;
    }

    /** Puts an entry that is in no bucket into the bucket for {@code expiresAtNs}. */
    void add(final int handle, final long expiresAtNs)
    {
        link(handle, placement(expiresAtNs));
    }

    /** The entry's expiry changed: relinks it only when it must fire earlier than its bucket. */
    void rearm(final int handle, final long expiresAtNs)
    {
        final int offset = handle * LENGTH;
        if (entries.getInt(offset + WHEEL_PREV_OFFSET) == UNLINKED)
        {
            link(handle, placement(expiresAtNs));
            return;
        }
        final long tick = placement(expiresAtNs);
        // Ticks are stored as ints; the difference is exact while entries are less than 2^31 ticks (1.1 years) apart.
        if ((int)tick - entries.getInt(offset + WHEEL_TICK_OFFSET) < 0)
        {
            unlink(handle);
            link(handle, tick);
        }
    }

    /** Takes the entry out of its bucket; nothing when it is in none. */
    void remove(final int handle)
    {
        if (entries.getInt(handle * LENGTH + WHEEL_PREV_OFFSET) != UNLINKED)
        {
            unlink(handle);
        }
    }

    /**
     * Takes the next entry of a bucket whose tick has passed out of the wheel and returns it (its own expiry may
     * still lie ahead, after a lazy re-arm), or returns {@link ConnectionTable#NO_ENTRY} when nothing is due or
     * {@code maxWork} units went by. Each entry taken and each empty bucket passed is one unit; {@link #lastWork()}
     * says how many this call spent.
     */
    int poll(final long nowNs, final int maxWork)
    {
        lastWork = 0;
        if (!started)
        {
            start(nowNs);
            return NONE;
        }
        final long nowTick = tickOf(nowNs);
        while (cursorTick < nowTick && lastWork < maxWork)
        {
            if (count == 0)
            {
                cursorTick = nowTick;
                return NONE;
            }
            final int head = heads[(int)(cursorTick & BUCKET_MASK)];
            lastWork++;
            if (head != NONE)
            {
                unlink(head);
                return head;
            }
            cursorTick++;
        }
        return NONE;
    }

    int lastWork()
    {
        return lastWork;
    }

    private long placement(final long expiresAtNs)
    {
        final long tick = tickOf(expiresAtNs);
        if (tick <= cursorTick)
        {
            return cursorTick;
        }
        final long farthest = cursorTick + BUCKET_COUNT - 1;
        return Math.min(tick, farthest);
    }

    private void link(final int handle, final long tick)
    {
        final int bucket = (int)(tick & BUCKET_MASK);
        final int head = heads[bucket];
        final int offset = handle * LENGTH;
        entries.putInt(offset + WHEEL_NEXT_OFFSET, head);
        entries.putInt(offset + WHEEL_PREV_OFFSET, NONE);
        entries.putInt(offset + WHEEL_TICK_OFFSET, (int)tick);
        if (head != NONE)
        {
            entries.putInt(head * LENGTH + WHEEL_PREV_OFFSET, handle);
        }
        heads[bucket] = handle;
        count++;
    }

    private void unlink(final int handle)
    {
        final int offset = handle * LENGTH;
        final int next = entries.getInt(offset + WHEEL_NEXT_OFFSET);
        final int prev = entries.getInt(offset + WHEEL_PREV_OFFSET);
        if (prev == NONE)
        {
            heads[entries.getInt(offset + WHEEL_TICK_OFFSET) & BUCKET_MASK] = next;
        }
        else
        {
            entries.putInt(prev * LENGTH + WHEEL_NEXT_OFFSET, next);
        }
        if (next != NONE)
        {
            entries.putInt(next * LENGTH + WHEEL_PREV_OFFSET, prev);
        }
        entries.putInt(offset + WHEEL_PREV_OFFSET, UNLINKED);
        count--;
    }
}
